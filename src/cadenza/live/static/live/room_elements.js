// The room page's elements the room script and its parts use, found once.

import { el } from "./room_render.js";

export const $ = (id) => document.getElementById(id);

/** The room's elements by name (the chat's typing line is made here, under the chat). */
export function roomElements() {
  const els = {
    room: $("room"),
    lobby: $("room-lobby"),
    banner: $("room-banner"),
    presence: $("presence-count"),
    status: $("room-status"),
    announce: $("room-announce"),
    calledNotice: $("called-notice"),
    micNotice: $("mic-notice"),
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
    stageEmpty: $("stage-empty"),
    left: $("room-left"),
    ended: $("room-ended"),
    typing: el("p", { class: "muted chat-typing", id: "chat-typing" }),
  };
  els.chatList.after(els.typing);
  return els;
}
