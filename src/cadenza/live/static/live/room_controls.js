// The room's control bar: microphone, camera, share screen (hosts; learners when the hosts
// allow it), raise hand (room.js), speaker or grid view, leave. A host may turn a person's
// microphone off ("The host muted your microphone"); only the person turns it on again. Also what keeps the room in view on a phone: the room's height follows
// the visual viewport (the part above the on-screen keyboard), and, if the person chose it
// before joining, their camera and microphone go off when the page stays hidden a minute
// (``away_seconds`` in the room's settings: CADENZA_LIVE_AWAY_SECONDS, 60 by default).

const $ = (id) => document.getElementById(id);
export const AWAY_KEY = "cadenza-room-away-off";

/** The button says what a press does ("Unmute" once muted), so it carries no aria-pressed
 * (a name that changes and a pressed state would contradict each other); ``data-on`` only
 * styles it. */
function label(button, text, on) {
  button.querySelector(".control-label").textContent = text;
  button.toggleAttribute("data-on", on);
}

function isOn(button) {
  return button.hasAttribute("data-on");
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

  const micNotice = $("mic-notice");
  for (const [button, kind, on, off] of [
    [mic, "audio", "Mute", "Unmute"],
    [camera, "video", "Stop video", "Start video"],
  ]) {
    button.addEventListener("click", () => {
      const muted = isOn(button);
      if (video.setTrackEnabled(kind, muted)) label(button, muted ? on : off, !muted);
      if (kind === "audio" && muted) micNotice.hidden = true;
    });
  }
  const mayShare = () => {
    const media = join.media || {};
    if (ctx.config.is_host) return true;
    return ctx.state.learnersMayShareScreen && !media.stage_only;
  };
  const showShare = () => {
    share.hidden =
      join.kind !== "builtin" || !mode || !mayShare() || typeof navigator.mediaDevices?.getDisplayMedia !== "function";
  };

  share.addEventListener("click", async () => {
    if (isOn(share)) {
      video.stopScreen();
      return;
    }
    share.disabled = true;
    try {
      if (await video.shareScreen()) label(share, "Stop sharing", true);
    } finally {
      share.disabled = false;
    }
  });
  // The screen also stops from the browser's own bar: the button follows.
  video.onMeta = ((previous) => (id, meta) => {
    if (id === ctx.config.me.user_id && !meta.screen) label(share, "Share screen", false);
    previous(id, meta);
  })(video.onMeta || (() => {}));

  layout.addEventListener("click", () => {
    const speaker = !isOn(layout);
    label(layout, speaker ? "Grid view" : "Speaker view", speaker);
    stage.choose(speaker ? "speaker" : "grid");
  });

  leave.addEventListener("click", onLeave);

  let awayTimer = null;
  document.addEventListener("visibilitychange", () => {
    clearTimeout(awayTimer);
    if (document.visibilityState !== "hidden" || localStorage.getItem(AWAY_KEY) !== "1" || !mode) return;
    awayTimer = setTimeout(() => {
      if (document.visibilityState === "hidden") onLeave();
    }, (ctx.config.away_seconds ?? 60) * 1000);
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
      showShare();
      layout.hidden = !builtin || Boolean(media.stage_only && !ctx.config.is_host);
      label(mic, "Mute", false);
      label(camera, "Stop video", false);
      label(share, "Share screen", false);
    },
    lastMode: () => mode,
    /** The room's state changed: learners may (no longer) share their screen. A learner's
     * screen stops when the hosts stop allowing it. */
    update() {
      showShare();
      if (!mayShare() && isOn(share)) video.stopScreen();
    },
    /** A host turned this person's microphone off; they may turn it on again. */
    mutedByHost() {
      if (!video.setTrackEnabled("audio", false)) return;
      label(mic, "Unmute", true);
      micNotice.textContent = "The host muted your microphone. Press Unmute to speak again.";
      micNotice.hidden = false;
    },
  };
}
