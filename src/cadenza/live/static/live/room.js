// The live room page: the pre-join check, then the room over its socket (chat, questions,
// polls, hands, breakouts, video) and, for hosts, the console. The state is kept in
// sessionStorage: a reloaded tab shows what it had and asks the server only for what it
// missed (hello with the last number seen). While the socket is down the room stays as it
// was, under a "reconnecting" banner.

import { Prejoin } from "./prejoin.js";
import { renderHost, setupHost } from "./room_host.js";
import {
  el,
  renderBreakout,
  renderChat,
  renderChatTargets,
  renderHands,
  renderPolls,
  renderQuestions,
} from "./room_render.js";
import { MissedChat } from "./room_history.js";
import { RoomSocket } from "./room_socket.js";
import { applyEvent, applySnapshot, emptyState, loadState, saveState } from "./room_state.js";
import { allowedModes, createVideo } from "./room_video.js";

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("room-config").textContent);
const join = JSON.parse($("join-details").textContent);
const joinedKey = `cadenza-room-joined:${config.session_id}:${config.me.user_id}`;

const els = {
  room: $("room"),
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
  videoControls: $("video-controls"),
};
const typing = el("p", { class: "muted chat-typing", id: "chat-typing" });
els.chatList.after(typing);

const names = new Map([...config.hosts, ...config.people].map((p) => [p.user_id, p.name]));
const ctx = {
  config,
  els,
  state: loadState(config) || emptyState(),
  present: 0,
  act,
  render,
};
let syncMode = "replay";
let joined = null;

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
const video = createVideo({ join, config, socket, area: els.videoArea, room });
const missedChat = new MissedChat({
  socket,
  list: els.chatList,
  state: () => ctx.state,
  onMerged: () => {
    render();
    saveState(config, ctx.state);
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
  els.announce.textContent = text;
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
      for (const person of frame.left) video.presence(person.user_id, "left");
      for (const person of frame.joined) {
        names.set(person.user_id, person.name);
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
      if (frame.type === "live.chat.deleted") missedChat.forget(frame.message_id);
      if (frame.type === "live.poll.opened") announce(`A poll is open: ${frame.prompt}`);
      if (frame.type.startsWith("live.breakouts.") && state.me && before !== state.me.breakout_id) {
        video.regroup();
        announce(state.me.breakout_id ? "You are now in your breakout room." : "Everyone is back in the main room.");
      } else if (frame.type === "live.breakouts.started" || frame.type === "live.breakouts.closed") {
        video.regroup();
      }
      if (frame.type === "live.room.closed") announce("The session has ended.");
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
  if (state.closed) {
    els.banner.replaceChildren(
      "The session has ended. ",
      el("a", { href: config.page_url, text: "See the replay" }),
    );
    els.banner.hidden = false;
  }
  renderChatTargets(ctx);
  renderChat(ctx);
  renderQuestions(ctx);
  renderPolls(ctx);
  renderHands(ctx);
  renderBreakout(ctx);
  renderHost(ctx);
}

async function enterRoom(mode) {
  joined = mode;
  sessionStorage.setItem(joinedKey, mode);
  if (prejoin) prejoin.hide();
  els.room.hidden = false;
  const console_ = $("host-console");
  if (console_) console_.hidden = false;
  const modes = allowedModes(join, Math.max(ctx.present, 1));
  const chosen = modes.includes(mode) ? mode : modes.includes("audio") && mode !== "none" ? "audio" : "none";
  els.video.hidden = join.kind === "none";
  const used = await video.join(chosen);
  els.room.dataset.videoMode = used;
  els.videoControls.hidden = used === "none" || join.kind !== "builtin";
  $("toggle-camera").hidden = used !== "video";
}

els.chatForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const body = els.chatBody.value;
  const target = els.chatTo.value;
  const fields = { body };
  if (target.startsWith("user:")) fields.to = Number(target.slice(5));
  if (target.startsWith("room:")) fields.breakout_id = Number(target.slice(5));
  act("chat.post", fields, els.chatError).then((ok) => {
    if (ok && els.chatBody.value === body) els.chatBody.value = "";
  });
});
els.chatBody.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    els.chatForm.requestSubmit();
  }
});
els.chatBody.addEventListener("input", () => socket.signal({ type: "typing" }));

els.questionForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const body = $("question-body");
  const anonymous = $("question-anonymous");
  act("question.ask", { body: body.value, anonymous: anonymous.checked }, els.questionError).then(
    (ok) => {
      if (ok) {
        body.value = "";
        anonymous.checked = false;
      }
    },
  );
});

els.handToggle.addEventListener("click", () => {
  const state = ctx.state;
  const raised = state.hands.some((h) => h.person.user_id === state.me.user_id);
  act(raised ? "hand.lower" : "hand.raise", {}, els.handStatus);
});

for (const [id, kind, on, off] of [
  ["toggle-mic", "audio", "Mute microphone", "Unmute microphone"],
  ["toggle-camera", "video", "Turn camera off", "Turn camera on"],
]) {
  const button = $(id);
  button.addEventListener("click", () => {
    const muted = button.getAttribute("aria-pressed") === "true";
    if (video.setTrackEnabled(kind, muted)) {
      button.setAttribute("aria-pressed", String(!muted));
      button.textContent = muted ? on : off;
    }
  });
}

setInterval(() => {
  if (ctx.state.breakouts.ends_at) {
    renderBreakout(ctx);
    renderHost(ctx);
  }
}, 1000);

if (config.is_host) setupHost(ctx);
const prejoin = new Prejoin({ section: $("prejoin"), join, onJoin: enterRoom });
render();
socket.start();
// Leaving the page closes the socket at once (presence and attendance end now, not when the
// server notices); a page restored from the back-forward cache reconnects and catches up.
window.addEventListener("pagehide", () => {
  saveState(config, ctx.state);
  socket.stop();
});
window.addEventListener("pageshow", (event) => {
  if (event.persisted) socket.start();
});
const remembered = sessionStorage.getItem(joinedKey);
if (remembered) enterRoom(remembered);
else prejoin.show();
