// The room's control bar: microphone, camera, share screen, raise hand (room.js), speaker or
// grid view, leave. Also what keeps the room in view on a phone: the room's height follows
// the visual viewport (the part above the on-screen keyboard), and, if the person chose it
// before joining, their camera and microphone go off when the page stays hidden a minute.

const $ = (id) => document.getElementById(id);
const AWAY_MS = 60_000;
export const AWAY_KEY = "cadenza-room-away-off";

function label(button, text) {
  button.querySelector(".control-label").textContent = text;
}

function followVisualViewport() {
  const viewport = window.visualViewport;
  if (!viewport) return;
  const fit = () => {
    document.documentElement.style.setProperty("--room-height", `${Math.round(viewport.height)}px`);
  };
  viewport.addEventListener("resize", fit);
  fit();
}

export function setupControls({ ctx, join, video, stage, onLeave }) {
  const mic = $("toggle-mic");
  const camera = $("toggle-camera");
  const share = $("toggle-share");
  const layout = $("toggle-layout");
  const leave = $("room-leave");
  let mode = null;

  for (const [button, kind, on, off] of [
    [mic, "audio", "Mute", "Unmute"],
    [camera, "video", "Stop video", "Start video"],
  ]) {
    button.addEventListener("click", () => {
      const muted = button.getAttribute("aria-pressed") === "true";
      if (video.setTrackEnabled(kind, muted)) {
        button.setAttribute("aria-pressed", String(!muted));
        label(button, muted ? on : off);
      }
    });
  }

  share.addEventListener("click", async () => {
    if (share.getAttribute("aria-pressed") === "true") {
      video.stopScreen();
      return;
    }
    share.disabled = true;
    try {
      if (await video.shareScreen()) {
        share.setAttribute("aria-pressed", "true");
        label(share, "Stop sharing");
      }
    } finally {
      share.disabled = false;
    }
  });
  // The screen also stops from the browser's own bar: the button follows.
  video.onMeta = ((previous) => (id, meta) => {
    if (id === ctx.config.me.user_id && !meta.screen) {
      share.setAttribute("aria-pressed", "false");
      label(share, "Share screen");
    }
    previous(id, meta);
  })(video.onMeta || (() => {}));

  layout.addEventListener("click", () => {
    const speaker = layout.getAttribute("aria-pressed") !== "true";
    layout.setAttribute("aria-pressed", String(speaker));
    label(layout, speaker ? "Grid view" : "Speaker view");
    stage.choose(speaker ? "speaker" : "grid");
  });

  leave.addEventListener("click", onLeave);

  let awayTimer = null;
  document.addEventListener("visibilitychange", () => {
    clearTimeout(awayTimer);
    if (document.visibilityState !== "hidden" || localStorage.getItem(AWAY_KEY) !== "1" || !mode) return;
    awayTimer = setTimeout(() => {
      if (document.visibilityState === "hidden") onLeave();
    }, AWAY_MS);
  });

  followVisualViewport();
  $("chat-body").addEventListener("focus", () => {
    setTimeout(() => $("chat-body").scrollIntoView({ block: "nearest" }), 300);
  });

  return {
    /** The room was joined with ``used`` ("video", "audio" or "none"). */
    joined(used) {
      mode = used;
      const builtin = join.kind === "builtin";
      const sending = builtin && used !== "none";
      mic.hidden = !sending;
      camera.hidden = !sending || used !== "video";
      const media = join.media || {};
      share.hidden = !builtin || !ctx.config.is_host || typeof navigator.mediaDevices?.getDisplayMedia !== "function";
      layout.hidden = !builtin || Boolean(media.stage_only && !ctx.config.is_host);
      for (const button of [mic, camera, share]) {
        button.setAttribute("aria-pressed", "false");
      }
      label(mic, "Mute");
      label(camera, "Stop video");
      label(share, "Share screen");
    },
    lastMode: () => mode,
  };
}
