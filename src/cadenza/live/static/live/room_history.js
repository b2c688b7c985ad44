// Chat a returning participant missed. A tab that comes back too far behind for a replay gets
// a snapshot, which names only the room's last chat messages (a new tab too): when it is that
// full, earlier messages exist, and they are read on request ("Load earlier messages"), newest
// page first, with the socket's history frame (cadenza/live/room/history.py), down to the
// room's first event: what the tab missed, and what it had shown before the snapshot replaced
// its state. Each message is added once (by its id), never one deleted since, and never
// another breakout room's.

import { el } from "./room_render.js";

const PAGE_EVENTS = 200;
const SNAPSHOT_CHAT_MESSAGES = 200; // the server's cap (cadenza/live/room/selectors/snapshot.py)

/** Add the chat messages of ``events`` (a history page's frames) that ``state`` lacks; answers
 * how many were added. ``deleted`` collects the ids of messages deleted meanwhile. */
export function mergeMissedChat(state, events, deleted) {
  for (const frame of events) {
    if (frame.type === "live.chat.deleted") deleted.add(frame.message_id);
  }
  const known = new Set(state.chat.map((m) => m.message_id));
  const me = state.me;
  const host = Boolean(me && me.is_host);
  let added = 0;
  for (const frame of events) {
    if (frame.type !== "live.chat.posted") continue;
    if (known.has(frame.message_id) || deleted.has(frame.message_id)) continue;
    if (!host && frame.breakout_id != null && frame.breakout_id !== (me && me.breakout_id)) continue;
    const { type, seq, ...message } = frame;
    state.chat.push(message);
    known.add(message.message_id);
    added += 1;
  }
  if (added) state.chat.sort((a, b) => a.message_id - b.message_id);
  return added;
}

export class MissedChat {
  /**
   * @param {object} options  socket (RoomSocket), list (the chat's list element), state() ->
   *   the room's state, onMerged() called after messages were added
   */
  constructor({ socket, list, state, onMerged }) {
    this.socket = socket;
    this.state = state;
    this.onMerged = onMerged;
    this.deleted = new Set();
    this.before = null;
    this.button = el("button", { type: "button", class: "link", id: "chat-earlier", text: "Load earlier messages" });
    this.button.hidden = true;
    this.status = el("p", { class: "muted", id: "chat-earlier-status", role: "status" });
    list.before(this.button, this.status);
    this.button.addEventListener("click", () => this.load());
  }

  /** A snapshot replaced the room's state: when its chat is cut at the server's cap, offer
   * the messages before it (history pages below the snapshot's number). */
  offer(snapshot) {
    this.before = snapshot.chat.length >= SNAPSHOT_CHAT_MESSAGES ? snapshot.seq + 1 : null;
    this.status.textContent = "";
    this.button.hidden = this.before === null;
  }

  /** A message deleted live: never brought back by a later page. */
  forget(messageId) {
    this.deleted.add(messageId);
  }

  /** Read pages, newest first, until one adds messages or none remain. */
  async load() {
    this.button.disabled = true;
    let added = 0;
    try {
      while (this.before !== null && added === 0) {
        const page = await this.socket.query("history", { before: this.before, limit: PAGE_EVENTS });
        added += mergeMissedChat(this.state(), page.events, this.deleted);
        this.before = page.has_more ? page.first : null;
      }
      this.status.textContent =
        this.before === null && added === 0 ? "There are no earlier messages." : "";
    } catch (error) {
      this.status.textContent = `${error.message} Earlier messages could not be loaded.`;
    } finally {
      this.button.disabled = false;
      this.button.hidden = this.before === null;
    }
    if (added) this.onMerged();
  }
}
