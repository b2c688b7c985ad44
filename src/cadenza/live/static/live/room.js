// The live room page: the pre-join check, then the room over its socket, laid out as a
// meeting room (the stage, the side panel's tabs, the control bar; for hosts the Host tab).
// The state is kept in sessionStorage: a reloaded tab shows what it had and asks the server
// only for what it missed (hello with the last number seen). While the socket is down the
// room stays as it was, under a "reconnecting" banner.
//
// This module wires the parts together around one ``ctx``: the page's elements
// (room_elements.js), what arrives on the socket (room_frames.js), what the person is told
// (room_notices.js), drawing (room_view.js), joining and leaving (room_joining.js), and the
// parts that were already their own: tabs, people, host console, control bar, stage, speaker
// detection, video, missed chat, forms.

import { Prejoin } from "./prejoin.js";
import { setupControls } from "./room_controls.js";
import { $, roomElements } from "./room_elements.js";
import { setupForms } from "./room_forms.js";
import { receiveFrame, showStatus } from "./room_frames.js";
import { MissedChat } from "./room_history.js";
import { setupHost } from "./room_host.js";
import { enterRoom, followPageLifecycle, leaveRoom, rememberedMode, showEnded, stopMedia } from "./room_joining.js";
import { followBreakoutCountdown } from "./room_notices.js";
import { RoomSocket } from "./room_socket.js";
import { SpeakerDetector } from "./room_speaker.js";
import { emptyState, loadState, saveState } from "./room_state.js";
import { RoomTabs } from "./room_tabs.js";
import { markTiles, StageLayout } from "./room_tiles.js";
import { createVideo } from "./room_video.js";
import { markAllTiles, renderRoom } from "./room_view.js";

const config = JSON.parse($("room-config").textContent);
const join = JSON.parse($("join-details").textContent);
const els = roomElements();

const ctx = {
  config,
  join,
  els,
  state: loadState(config) || emptyState(),
  names: new Map([...config.hosts, ...config.people].map((p) => [p.user_id, p.name])),
  present: 0,
  here: new Map(), // user id -> name of the people present now
  mics: new Map(), // user id -> whether their microphone is on (the built-in video)
  unreadChat: 0,
  syncMode: "replay",
  joined: null, // the mode this person joined with; null: not in the room
  over: false, // left, removed or ended: nothing of this person's media may start again
  prejoin: null,
  act,
  render: () => renderRoom(ctx, { onEnded: () => showEnded(ctx) }),
};

ctx.socket = new RoomSocket(config.socket_path, {
  lastSeq: () => ctx.state.seq,
  onFrame: (frame) => receiveFrame(ctx, frame),
  onStatus: (status) => showStatus(ctx, status, { onForbidden: () => stopMedia(ctx) }),
});

const room = {
  nameOf: (id) => ctx.names.get(id),
  spaceOf: (id) => {
    const rooms = ctx.state.breakouts.rooms;
    const mine = rooms.find((r) => r.members.some((m) => m.user_id === id));
    return mine ? `breakout:${mine.breakout_id}` : "main";
  },
  // Hosts may visit any breakout room's video (Jitsi, BigBlueButton).
  breakouts: () => ctx.state.breakouts.rooms,
};
ctx.speaker = new SpeakerDetector({
  onSpeaking: (id, speaking) => {
    for (const tile of els.videoArea.querySelectorAll(`[data-peer="${id}"][data-kind="camera"]`)) {
      tile.toggleAttribute("data-speaking", speaking);
    }
  },
  onActive: (id) => {
    els.videoArea.dataset.speaker = id === null ? "" : String(id);
    ctx.stage.update();
  },
});
ctx.stage = new StageLayout(els.videoArea, {
  speaker: () => ctx.speaker.active,
  onChange: () => {
    els.stageEmpty.hidden = els.videoArea.children.length > 0;
    markAllTiles(ctx);
  },
});
ctx.video = createVideo({
  join,
  config,
  socket: ctx.socket,
  area: els.videoArea,
  room,
  onStream: (id, stream) => ctx.speaker.watch(id, stream),
  onMeta: (id, meta) => {
    ctx.mics.set(id, meta.audio);
    markTiles(els.videoArea, id, { muted: !meta.audio });
    ctx.render();
  },
});
ctx.missedChat = new MissedChat({
  socket: ctx.socket,
  list: els.chatList,
  state: () => ctx.state,
  onMerged: () => {
    ctx.render();
    saveState(config, ctx.state);
  },
});
ctx.tabs = new RoomTabs(document.querySelector("#room .room-tabs"), {
  onShow: (name) => {
    if (name === "chat") ctx.unreadChat = 0;
    ctx.render();
  },
});

/** One room write; shows the server's reason in ``errorBox`` and answers whether it was stored. */
function act(type, fields, errorBox) {
  if (errorBox) errorBox.textContent = "";
  return ctx.socket.write(type, fields).then(
    () => true,
    (error) => {
      if (errorBox) errorBox.textContent = error.message;
      return false;
    },
  );
}

ctx.controls = setupControls({
  ctx,
  join,
  video: ctx.video,
  stage: ctx.stage,
  onLeave: () => leaveRoom(ctx, els.left),
});

setupForms(ctx, ctx.socket);

$("room-rejoin").addEventListener("click", () => {
  ctx.socket.start();
  enterRoom(ctx, ctx.controls.lastMode() || "none");
});

followBreakoutCountdown(ctx);

if (config.is_host) setupHost(ctx);
ctx.prejoin = new Prejoin({ section: $("prejoin"), join, onJoin: (mode) => enterRoom(ctx, mode) });
ctx.render();
ctx.socket.start();
followPageLifecycle(ctx);
const remembered = rememberedMode(ctx);
if (remembered) enterRoom(ctx, remembered);
else ctx.prejoin.show();
