// Joining and leaving the room. Leaving (the Leave button, the page going away, being
// removed, the host ending the session) stops this person's camera, microphone and screen at
// once and closes their connections: the server counts them out when their socket closes.
// Which mode the tab joined with is kept in sessionStorage, so a reloaded tab (or one back
// from the back-forward cache) joins again as it was.

import { allowedModes } from "./room_video.js";
import { saveState } from "./room_state.js";

function joinedKey(config) {
  return `cadenza-room-joined:${config.session_id}:${config.me.user_id}`;
}

/** This person's camera, microphone and screen off, their connections closed. */
export function stopMedia(ctx) {
  ctx.over = true;
  ctx.speaker.stop();
  ctx.video.leave();
}

/** Leave the room and show ``panel`` (left, or ended). */
export function leaveRoom(ctx, panel) {
  const { els } = ctx;
  stopMedia(ctx);
  ctx.socket.stop();
  ctx.joined = null;
  sessionStorage.removeItem(joinedKey(ctx.config));
  els.calledNotice.hidden = true;
  els.micNotice.hidden = true;
  els.breakoutPanel.hidden = true;
  els.banner.replaceChildren();
  els.room.hidden = true;
  els.lobby.hidden = true;
  document.body.classList.remove("in-room");
  panel.hidden = false;
  panel.querySelector("h2").focus();
}

/** The session ended: out of the room, to the page that says so. */
export function showEnded(ctx) {
  const { els } = ctx;
  if (!els.ended.hidden) return;
  leaveRoom(ctx, els.ended);
  els.left.hidden = true;
}

/** Into the room with "video", "audio" or "none" (or the nearest mode the room allows). */
export async function enterRoom(ctx, mode) {
  const { els, join, video } = ctx;
  ctx.joined = mode;
  ctx.over = false;
  sessionStorage.setItem(joinedKey(ctx.config), mode);
  if (ctx.prejoin) ctx.prejoin.hide();
  els.lobby.hidden = true;
  els.left.hidden = true;
  els.room.hidden = false;
  document.body.classList.add("in-room");
  if (ctx.state.closed) {
    showEnded(ctx);
    return;
  }
  const modes = allowedModes(join, Math.max(ctx.present, 1));
  const chosen = modes.includes(mode) ? mode : modes.includes("audio") && mode !== "none" ? "audio" : "none";
  els.video.dataset.kind = join.kind;
  const used = await video.join(chosen);
  if (ctx.over) return;
  els.room.dataset.videoMode = used;
  ctx.controls.joined(used);
  ctx.stage.update();
}

/** The mode this tab joined with before a reload, if it had joined. */
export function rememberedMode(ctx) {
  return sessionStorage.getItem(joinedKey(ctx.config));
}

/** Leaving the page stops the camera and closes the socket at once (presence and attendance
 * end now, not when the server notices); a page restored from the back-forward cache
 * reconnects, catches up and joins again as it was. */
export function followPageLifecycle(ctx) {
  window.addEventListener("pagehide", () => {
    saveState(ctx.config, ctx.state);
    const mode = ctx.joined;
    stopMedia(ctx);
    ctx.socket.stop();
    if (mode) sessionStorage.setItem(joinedKey(ctx.config), mode);
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    ctx.socket.start();
    const remembered = rememberedMode(ctx);
    if (remembered) enterRoom(ctx, remembered);
  });
}
