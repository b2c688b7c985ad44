// What arrives on the room socket: the snapshot, the end of a replay, presence, typing, video
// signalling, errors and durable events (applied to the state, then noted and drawn); and the
// socket's status (reconnecting, full, forbidden), shown in the banner.

import { noteEvent } from "./room_notices.js";
import { applyEvent, applySnapshot, saveState } from "./room_state.js";

export function receiveFrame(ctx, frame) {
  const { state, els, config, video, prejoin } = ctx;
  switch (frame.type) {
    case "room.snapshot": {
      ctx.syncMode = "snapshot";
      applySnapshot(state, frame);
      // Back from far behind (or new): the snapshot names only the last messages.
      ctx.missedChat.offer(frame);
      // The count is the room's; the list names up to a hundred of the people present.
      ctx.present = frame.present_count;
      ctx.here = new Map(frame.present.map((p) => [p.user_id, p.name]));
      for (const person of frame.present) ctx.names.set(person.user_id, person.name);
      if (prejoin) prejoin.offer(ctx.present);
      break;
    }
    case "room.caught_up":
      els.room.dataset.sync = ctx.syncMode;
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
        ctx.names.set(person.user_id, person.name);
        ctx.here.set(person.user_id, person.name);
        video.presence(person.user_id, "joined");
      }
      if (prejoin) prejoin.offer(frame.count);
      break;
    case "live.typing":
      if (frame.person.user_id !== config.me.user_id) {
        els.typing.textContent = `${frame.person.name} is typing…`;
        clearTimeout(ctx.typingTimer);
        ctx.typingTimer = setTimeout(() => {
          els.typing.textContent = "";
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
      noteEvent(ctx, frame, before);
    }
  }
  ctx.render();
  saveState(config, state);
}

/** The socket's status; ``onForbidden`` runs when this person may no longer be in the room. */
export function showStatus(ctx, status, { onForbidden }) {
  const { els, prejoin } = ctx;
  if (status === "connecting" || status === "reconnecting") ctx.syncMode = "replay";
  els.room.dataset.connection = status;
  if (status === "reconnecting") {
    els.banner.textContent = "Reconnecting… The room stays as it was and catches up when the connection is back.";
  } else if (status === "full") {
    els.banner.textContent = "The room is full. Trying again in a moment…";
  } else if (status === "forbidden") {
    els.banner.textContent = ctx.state.removed
      ? "A host removed you from this session."
      : "You no longer have access to this room.";
    onForbidden();
  } else {
    els.banner.textContent = "";
  }
  els.banner.hidden = !els.banner.textContent;
  if (status === "live" && prejoin && !ctx.joined) prejoin.measure(ctx.socket);
}
