// The live room page: the pre-join check, then the room over its socket, laid out as a
// meeting room (the stage, the side panel's tabs, the control bar; for hosts the Host tab).
// The state is kept in sessionStorage: a reloaded tab shows what it had and asks the server
// only for what it missed (hello with the last number seen). While the socket is down the
// room stays as it was, under a "reconnecting" banner.
//
// Leaving (the Leave button, the page going away, being removed, the host ending the
// session) stops this person's camera, microphone and screen at once and closes their
// connections: the server counts them out when their socket closes.

import { Prejoin } from "./prejoin.js";
import { setupControls } from "./room_controls.js";
import { setupForms } from "./room_forms.js";
import { renderHost, setupHost } from "./room_host.js";
import { renderPeople } from "./room_people.js";
import {
  el,
  renderBreakout,
  renderChat,
  renderChatTargets,
  renderHands,
  renderPolls,
  renderQuestions,
  secondsLeft,
} from "./room_render.js";
import { MissedChat } from "./room_history.js";
import { RoomSocket } from "./room_socket.js";
import { SpeakerDetector } from "./room_speaker.js";
import { applyEvent, applySnapshot, emptyState, loadState, saveState } from "./room_state.js";
import { RoomTabs } from "./room_tabs.js";
import { markTiles, StageLayout } from "./room_tiles.js";
import { allowedModes, createVideo } from "./room_video.js";

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("room-config").textContent);
const join = JSON.parse($("join-details").textContent);
const joinedKey = `cadenza-room-joined:${config.session_id}:${config.me.user_id}`;

const els = {
  room: $("room"),
  lobby: $("room-lobby"),
  banner: $("room-banner"),
  presence: $("presence-count"),
  status: $("room-status"),
  announce: $("room-announce"),
  calledNotice: $("called-notice"),
  chatList: $("chat-list"),
  chatForm: $("chat-form"),
  chatTo: $("chat-to"),
  chatToRow: $("chat-to-row"),
  chatBody: $("chat-body"),
  chatSend: $("chat-form").querySelector("button[type=submit]"),
  chatError: $("chat-error"),
  questionForm: $("question-form"),
  questionList: $("question-list"),
  questionError: $("question-error"),
  pollList: $("poll-list"),
  pollError: $("poll-error"),
  handToggle: $("hand-toggle"),
  handStatus: $("hand-status"),
  breakoutPanel: $("breakout-panel"),
  breakoutHeading: $("breakout-heading"),
  breakoutCountdown: $("breakout-countdown"),
  breakoutMessages: $("breakout-messages"),
  video: $("video"),
  videoArea: $("video-area"),
  left: $("room-left"),
  ended: $("room-ended"),
};
const typing = el("p", { class: "muted chat-typing", id: "chat-typing" });
els.chatList.after(typing);

const names = new Map([...config.hosts, ...config.people].map((p) => [p.user_id, p.name]));
const ctx = {
  config,
  els,
  state: loadState(config) || emptyState(),
  present: 0,
  here: new Map(), // user id -> name of the people present now
  mics: new Map(), // user id -> whether their microphone is on (the built-in video)
  unreadChat: 0,
  act,
  render,
};
let syncMode = "replay";
let joined = null;
let over = false; // left, removed or ended: nothing of this person's media may start again

const socket = new RoomSocket(config.socket_path, {
  lastSeq: () => ctx.state.seq,
  onFrame: receive,
  onStatus: showStatus,
});

const room = {
  nameOf: (id) => names.get(id),
  spaceOf: (id) => {
    const rooms = ctx.state.breakouts.rooms;
    const mine = rooms.find((r) => r.members.some((m) => m.user_id === id));
    return mine ? `breakout:${mine.breakout_id}` : "main";
  },
  // Hosts may visit any breakout room's video (Jitsi, BigBlueButton).
  breakouts: () => ctx.state.breakouts.rooms,
};
const speaker = new SpeakerDetector({
  onSpeaking: (id, speaking) => {
    for (const tile of els.videoArea.querySelectorAll(`[data-peer="${id}"][data-kind="camera"]`)) {
      tile.toggleAttribute("data-speaking", speaking);
    }
  },
  onActive: (id) => {
    els.videoArea.dataset.speaker = id === null ? "" : String(id);
    stage.update();
  },
});
const stage = new StageLayout(els.videoArea, {
  speaker: () => speaker.active,
  onChange: () => {
    $("stage-empty").hidden = els.videoArea.children.length > 0;
    markAllTiles();
  },
});
const video = createVideo({
  join,
  config,
  socket,
  area: els.videoArea,
  room,
  onStream: (id, stream) => speaker.watch(id, stream),
  onMeta: (id, meta) => {
    ctx.mics.set(id, meta.audio);
    markTiles(els.videoArea, id, { muted: !meta.audio });
    render();
  },
});
const missedChat = new MissedChat({
  socket,
  list: els.chatList,
  state: () => ctx.state,
  onMerged: () => {
    render();
    saveState(config, ctx.state);
  },
});
const tabs = new RoomTabs(document.querySelector("#room .room-tabs"), {
  onShow: (name) => {
    if (name === "chat") ctx.unreadChat = 0;
    render();
  },
});

/** One room write; shows the server's reason in ``errorBox`` and answers whether it was stored. */
function act(type, fields, errorBox) {
  if (errorBox) errorBox.textContent = "";
  return socket.write(type, fields).then(
    () => true,
    (error) => {
      if (errorBox) errorBox.textContent = error.message;
      return false;
    },
  );
}

function announce(text) {
  // Emptied first, so the same words twice are announced twice.
  els.announce.textContent = "";
  setTimeout(() => {
    els.announce.textContent = text;
  }, 50);
}

function markAllTiles() {
  const hands = new Set(ctx.state.hands.map((h) => h.person.user_id));
  for (const tile of els.videoArea.querySelectorAll("[data-peer]")) {
    const id = Number(tile.dataset.peer);
    markTiles(els.videoArea, id, { hand: hands.has(id) });
  }
}

function noteEvent(frame, before) {
  const state = ctx.state;
  const me = config.me.user_id;
  if (frame.type === "live.chat.posted" && frame.author.user_id !== me && tabs.selected !== "chat") {
    ctx.unreadChat += 1;
  }
  if (frame.type === "live.chat.deleted") missedChat.forget(frame.message_id);
  if (frame.type === "live.poll.opened") announce(`A poll is open: ${frame.prompt}`);
  if (frame.type === "live.question.asked" && !(frame.author && frame.author.user_id === me)) {
    announce(`New question: ${frame.body}`);
  }
  if (frame.type === "live.hand.called" && frame.person.user_id === me) {
    announce(`${frame.by.name} calls on you: it is your turn to speak.`);
  }
  if (frame.type.startsWith("live.breakouts.") && state.me && before !== state.me.breakout_id) {
    video.regroup();
    announce(state.me.breakout_id ? "You are now in your breakout room." : "Everyone is back in the main room.");
  } else if (frame.type === "live.breakouts.started" || frame.type === "live.breakouts.closed") {
    video.regroup();
  }
  if (frame.type === "live.room.opened") announce("The session is live.");
  if (frame.type === "live.microphone.muted" && frame.person.user_id === me) {
    controls.mutedByHost();
  }
  if (frame.type === "live.screen_sharing.changed" && !config.is_host) {
    announce(frame.allowed ? "The hosts let learners share their screen." : "The hosts stopped learners sharing their screen.");
  }
}

function receive(frame) {
  const state = ctx.state;
  switch (frame.type) {
    case "room.snapshot": {
      syncMode = "snapshot";
      applySnapshot(state, frame);
      // Back from far behind (or new): the snapshot names only the last messages.
      missedChat.offer(frame);
      // The count is the room's; the list names up to a hundred of the people present.
      ctx.present = frame.present_count;
      ctx.here = new Map(frame.present.map((p) => [p.user_id, p.name]));
      for (const person of frame.present) names.set(person.user_id, person.name);
      if (prejoin) prejoin.offer(ctx.present);
      break;
    }
    case "room.caught_up":
      els.room.dataset.sync = syncMode;
      els.room.dataset.seq = String(state.seq);
      // A tab that arrives while breakouts run goes straight to its breakout's video.
      video.regroup();
      break;
    case "live.presence":
      // One frame per server and second at most, with everyone who came and went meanwhile.
      ctx.present = frame.count;
      for (const person of frame.left) {
        ctx.here.delete(person.user_id);
        video.presence(person.user_id, "left");
      }
      for (const person of frame.joined) {
        names.set(person.user_id, person.name);
        ctx.here.set(person.user_id, person.name);
        video.presence(person.user_id, "joined");
      }
      if (prejoin) prejoin.offer(frame.count);
      break;
    case "live.typing":
      if (frame.person.user_id !== config.me.user_id) {
        typing.textContent = `${frame.person.name} is typing…`;
        clearTimeout(receive.typingTimer);
        receive.typingTimer = setTimeout(() => {
          typing.textContent = "";
        }, 3000);
      }
      return;
    case "live.rtc.offer":
    case "live.rtc.answer":
    case "live.rtc.ice":
      video.signal(frame);
      return;
    case "error":
      els.chatError.textContent = frame.detail;
      return;
    default: {
      const before = state.me ? state.me.breakout_id : null;
      if (!applyEvent(state, frame)) return;
      noteEvent(frame, before);
    }
  }
  render();
  saveState(config, state);
}

function showStatus(status) {
  if (status === "connecting" || status === "reconnecting") syncMode = "replay";
  els.room.dataset.connection = status;
  if (status === "reconnecting") {
    els.banner.textContent = "Reconnecting… The room stays as it was and catches up when the connection is back.";
  } else if (status === "full") {
    els.banner.textContent = "The room is full. Trying again in a moment…";
  } else if (status === "forbidden") {
    els.banner.textContent = ctx.state.removed
      ? "A host removed you from this session."
      : "You no longer have access to this room.";
    stopMedia();
  } else {
    els.banner.textContent = "";
  }
  els.banner.hidden = !els.banner.textContent;
  if (status === "live" && prejoin && !joined) prejoin.measure(socket);
}

function render() {
  const state = ctx.state;
  if (!state.me) return;
  els.room.dataset.seq = String(state.seq);
  els.presence.textContent = ctx.present
    ? `${ctx.present} ${ctx.present === 1 ? "person" : "people"} here`
    : "";
  els.status.textContent = state.closed
    ? "The session has ended."
    : state.opened
      ? "The session is live."
      : "Waiting for a host to open the room.";
  if (state.closed && joined) showEnded();
  // A host arriving before the room is open finds "Open the room" in front of them.
  if (config.is_host && joined && !state.opened && !ctx.hostTabShown) {
    ctx.hostTabShown = true;
    tabs.show("host");
    return;
  }
  renderChatTargets(ctx);
  renderChat(ctx);
  renderQuestions(ctx);
  renderPolls(ctx);
  renderHands(ctx);
  renderBreakout(ctx);
  renderHost(ctx);
  controls.update();
  const here = renderPeople(ctx);
  tabs.count("chat", ctx.unreadChat, ctx.unreadChat === 1 ? "unread message" : "unread messages");
  const openQuestions = state.questions.filter((q) => q.status === "open").length;
  tabs.count("questions", openQuestions, openQuestions === 1 ? "open question" : "open questions");
  const openPolls = state.polls.filter((p) => p.status === "open").length;
  tabs.count("polls", openPolls, openPolls === 1 ? "open poll" : "open polls");
  tabs.count("people", here, here === 1 ? "person here" : "people here");
  tabs.count("host", state.hands.length, state.hands.length === 1 ? "raised hand" : "raised hands");
  markAllTiles();
}

/** This person's camera, microphone and screen off, their connections closed. */
function stopMedia() {
  over = true;
  speaker.stop();
  video.leave();
}

function leaveRoom(panel) {
  stopMedia();
  socket.stop();
  joined = null;
  sessionStorage.removeItem(joinedKey);
  els.calledNotice.hidden = true;
  $("mic-notice").hidden = true;
  els.breakoutPanel.hidden = true;
  els.banner.replaceChildren();
  els.room.hidden = true;
  els.lobby.hidden = true;
  document.body.classList.remove("in-room");
  panel.hidden = false;
  panel.querySelector("h2").focus();
}

function showEnded() {
  if (!els.ended.hidden) return;
  leaveRoom(els.ended);
  els.left.hidden = true;
}

async function enterRoom(mode) {
  joined = mode;
  over = false;
  sessionStorage.setItem(joinedKey, mode);
  if (prejoin) prejoin.hide();
  els.lobby.hidden = true;
  els.left.hidden = true;
  els.room.hidden = false;
  document.body.classList.add("in-room");
  if (ctx.state.closed) {
    showEnded();
    return;
  }
  const modes = allowedModes(join, Math.max(ctx.present, 1));
  const chosen = modes.includes(mode) ? mode : modes.includes("audio") && mode !== "none" ? "audio" : "none";
  els.video.dataset.kind = join.kind;
  const used = await video.join(chosen);
  if (over) return;
  els.room.dataset.videoMode = used;
  controls.joined(used);
  stage.update();
}

const controls = setupControls({
  ctx,
  join,
  video,
  stage,
  onLeave: () => leaveRoom(els.left),
});

setupForms(ctx, socket);

$("room-rejoin").addEventListener("click", () => {
  socket.start();
  enterRoom(controls.lastMode() || "none");
});

let announcedCountdown = null;
setInterval(() => {
  const endsAt = ctx.state.breakouts.ends_at;
  if (!endsAt) return;
  renderBreakout(ctx);
  renderHost(ctx);
  if (secondsLeft(endsAt) === 10 && announcedCountdown !== endsAt) {
    announcedCountdown = endsAt;
    announce("The breakout rooms close in 10 seconds.");
  }
}, 1000);

if (config.is_host) setupHost(ctx);
const prejoin = new Prejoin({ section: $("prejoin"), join, onJoin: enterRoom });
render();
socket.start();
// Leaving the page stops the camera and closes the socket at once (presence and attendance
// end now, not when the server notices); a page restored from the back-forward cache
// reconnects, catches up and joins again as it was.
window.addEventListener("pagehide", () => {
  saveState(config, ctx.state);
  const mode = joined;
  stopMedia();
  socket.stop();
  if (mode) sessionStorage.setItem(joinedKey, mode);
});
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  socket.start();
  const remembered = sessionStorage.getItem(joinedKey);
  if (remembered) enterRoom(remembered);
});
const remembered = sessionStorage.getItem(joinedKey);
if (remembered) enterRoom(remembered);
else prejoin.show();
