// Drawing the room from its state: the presence line and status, every panel, the tabs'
// counts and the marks on the stage's tiles (raised hands).

import { renderHost } from "./room_host.js";
import { renderPeople } from "./room_people.js";
import {
  renderBreakout,
  renderChat,
  renderChatTargets,
  renderHands,
  renderPolls,
  renderQuestions,
} from "./room_render.js";
import { markTiles } from "./room_tiles.js";

/** A raised hand on each tile of its person. */
export function markAllTiles(ctx) {
  const area = ctx.els.videoArea;
  const hands = new Set(ctx.state.hands.map((h) => h.person.user_id));
  for (const tile of area.querySelectorAll("[data-peer]")) {
    const id = Number(tile.dataset.peer);
    markTiles(area, id, { hand: hands.has(id) });
  }
}

/** Draw everything; ``onEnded`` runs when the session is over for a person in the room. */
export function renderRoom(ctx, { onEnded }) {
  const { state, els, config, tabs } = ctx;
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
  if (state.closed && ctx.joined) onEnded();
  // A host arriving before the room is open finds "Open the room" in front of them.
  if (config.is_host && ctx.joined && !state.opened && !ctx.hostTabShown) {
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
  ctx.controls.update();
  const here = renderPeople(ctx);
  tabs.count("chat", ctx.unreadChat, ctx.unreadChat === 1 ? "unread message" : "unread messages");
  const openQuestions = state.questions.filter((q) => q.status === "open").length;
  tabs.count("questions", openQuestions, openQuestions === 1 ? "open question" : "open questions");
  const openPolls = state.polls.filter((p) => p.status === "open").length;
  tabs.count("polls", openPolls, openPolls === 1 ? "open poll" : "open polls");
  tabs.count("people", here, here === 1 ? "person here" : "people here");
  tabs.count("host", state.hands.length, state.hands.length === 1 ? "raised hand" : "raised hands");
  markAllTiles(ctx);
}
