// The room's video, per provider (the join details the page embeds): the built-in mesh
// (rtc.js), Jitsi Meet's IFrame API, a BigBlueButton link (rendered by the page), or none.
//
// Breakout rooms: the built-in mesh connects only people in the same part of the room. Jitsi
// and BigBlueButton have a room (a meeting) per breakout room, with its own join details:
// when the room script calls regroup() after this person moved, the video fetches their
// breakout room's details from the server (which gives a learner only their own room's) and
// switches to them, and back to the main room's on the recall. A host may visit any
// breakout room's video when the room script offers the list of rooms (room.breakouts).

import { el } from "./room_render.js";
import { Mesh } from "./rtc.js";

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.append(script);
  });
}

/** The address of a breakout room's video details: under the session's page (see
 * cadenza/live/urls/providers.py, "live_breakout_video"). */
export function breakoutDetailsUrl(config, breakoutId) {
  return `${config.page_url}video/breakout/?breakout=${encodeURIComponent(breakoutId)}`;
}

async function fetchBreakoutDetails(config, breakoutId) {
  const response = await fetch(breakoutDetailsUrl(config, breakoutId), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  if (!response.ok || body.breakout_id !== breakoutId) {
    throw new Error(body.detail || "The breakout room's video is not available.");
  }
  return body;
}

class NoVideo {
  async join() {
    return "none";
  }
  presence() {}
  signal() {}
  regroup() {}
  setTrackEnabled() {
    return false;
  }
  async shareScreen() {
    return false;
  }
  stopScreen() {}
  /** Leaving (or the end of the session): nothing of this person's stays on. */
  leave() {}
}

/** Video outside the room socket (Jitsi, BigBlueButton): one set of join details for the
 * main room and one per breakout room, fetched when this person's room changes. */
class RoomsVideo extends NoVideo {
  constructor({ join, area, config, room }) {
    super();
    this.main = join;
    this.area = area;
    this.config = config;
    this.room = room;
    this.shown = undefined; // the breakout id whose video is shown; null: the main room's
    this.visiting = null; // a host's choice: a breakout id, "main", or null (their own room)
    this.failed = undefined; // the room whose details could not be fetched (retried on a move)
    this.generation = 0;
    this.notice = el("p", { class: "muted video-notice", role: "status" });
    this.hostNav = el("nav", { class: "video-breakouts", "aria-label": "Breakout rooms' video", hidden: true });
    area.before(this.notice, this.hostNav);
  }

  /** The breakout room this person's video belongs in now; null for the main room. */
  target() {
    const rooms = this.rooms();
    if (!rooms.length || (typeof this.visiting === "number" && !rooms.some((r) => r.breakout_id === this.visiting))) {
      this.visiting = null;
    }
    if (this.visiting === "main") return null;
    if (this.visiting !== null) return this.visiting;
    const space = this.room.spaceOf(this.config.me.user_id) || "main";
    return space.startsWith("breakout:") ? Number(space.slice("breakout:".length)) : null;
  }

  rooms() {
    return typeof this.room.breakouts === "function" ? this.room.breakouts() || [] : [];
  }

  ready() {
    return true;
  }

  /** Called after every move into or out of breakout rooms (and safe to call at any time:
   * nothing happens while the video already shows the right room). */
  async regroup() {
    const target = this.target();
    if (this.config.is_host) this.renderHostNav(target);
    if (!this.ready() || target === this.shown || target === this.failed) return;
    this.shown = target;
    this.failed = undefined;
    const generation = ++this.generation;
    let details = this.main;
    if (target !== null) {
      this.notice.textContent = "Connecting to the breakout room's video…";
      try {
        details = await fetchBreakoutDetails(this.config, target);
      } catch (error) {
        if (generation !== this.generation) return;
        this.shown = undefined;
        this.failed = target;
        const retry = el("button", { type: "button", class: "secondary", text: "Try again" });
        retry.addEventListener("click", () => {
          this.failed = undefined;
          this.regroup();
        });
        this.notice.replaceChildren(`${error.message} `, retry);
        return;
      }
      if (generation !== this.generation) return; // moved again meanwhile
    }
    this.notice.textContent = "";
    await this.show(details);
  }

  /** A late snapshot (a tab that joined while the rooms were running) moves people too. */
  presence() {
    this.regroup();
  }

  renderHostNav(target) {
    const rooms = this.rooms();
    // Drawn again only when something changed: a button redrawn under the pointer is lost.
    const drawn = JSON.stringify([target, rooms.map((r) => [r.breakout_id, r.name])]);
    if (drawn === this.hostNavDrawn) return;
    this.hostNavDrawn = drawn;
    this.hostNav.hidden = rooms.length === 0;
    const visit = (id) => () => {
      this.visiting = id;
      this.regroup();
    };
    const buttons = rooms.map((r) =>
      el("button", {
        type: "button",
        class: "secondary",
        text: `Video of ${r.name}`,
        "aria-pressed": String(target === r.breakout_id),
        onclick: visit(r.breakout_id),
      }),
    );
    if (rooms.length) {
      buttons.push(
        el("button", {
          type: "button",
          class: "secondary",
          text: "Video of the main room",
          "aria-pressed": String(target === null),
          onclick: visit("main"),
        }),
      );
    }
    this.hostNav.replaceChildren(...buttons);
  }

  async show() {}
}

class JitsiVideo extends RoomsVideo {
  async join(mode) {
    this.mode = mode;
    await loadScript(this.main.script_url);
    this.loaded = true;
    await this.regroup();
    return mode;
  }

  ready() {
    return Boolean(this.loaded);
  }

  async show(details) {
    if (this.api) this.api.dispose();
    const embed = { ...details.embed };
    embed.parentNode = this.area;
    embed.configOverwrite = {
      ...(embed.configOverwrite || {}),
      startWithVideoMuted: this.mode !== "video",
      startWithAudioMuted: this.mode === "none",
    };
    this.api = new window.JitsiMeetExternalAPI(details.domain, embed);
  }

  leave() {
    this.loaded = false;
    this.shown = undefined;
    if (this.api) this.api.dispose();
    this.api = null;
  }
}

/** BigBlueButton runs in its own tab: the page shows the main meeting's link (or, for a host,
 * the start button); in a breakout room this shows that room's link instead. */
class BigBlueButtonVideo extends RoomsVideo {
  constructor(options) {
    super(options);
    const section = this.area.parentElement;
    this.mainLinks = [...section.children].filter(
      (node) => node.tagName === "FORM" || (node.tagName === "P" && node.querySelector("a.button")),
    );
    this.link = el("p", { class: "video-breakout-link", hidden: true });
    this.area.before(this.link);
  }

  async show(details) {
    const inBreakout = details.breakout_id != null;
    for (const node of this.mainLinks) node.hidden = inBreakout;
    this.link.hidden = !inBreakout;
    if (!inBreakout) {
      this.link.replaceChildren();
      return;
    }
    const name = (this.rooms().find((r) => r.breakout_id === details.breakout_id) || {}).name;
    const own = this.room.spaceOf(this.config.me.user_id) === `breakout:${details.breakout_id}`;
    const label = !own && name ? `the video meeting of ${name}` : "your breakout room's video meeting";
    this.link.replaceChildren(
      el("a", {
        class: "button",
        href: details.join_url,
        target: "_blank",
        rel: "noopener noreferrer",
        text: `Join ${label} (BigBlueButton, new tab)`,
      }),
    );
  }
}

/** The video of the room for these join details; ``room`` gives the room's current state. */
export function createVideo({ join, config, socket, area, room, onStream, onMeta }) {
  if (join.kind === "jitsi") return new JitsiVideo({ join, area, config, room });
  if (join.kind === "bigbluebutton") {
    const video = new BigBlueButtonVideo({ join, area, config, room });
    video.regroup();
    return video;
  }
  if (join.kind !== "builtin") return new NoVideo();
  const hostIds = new Set(config.hosts.map((h) => h.user_id));
  const names = new Map([...config.hosts, ...config.people].map((p) => [p.user_id, p.name]));
  const stageOnly = Boolean(join.media && join.media.stage_only);
  return new Mesh({
    selfId: config.me.user_id,
    selfName: config.me.name,
    iceServers: join.ice_servers || [],
    area,
    send: (frame) => socket.signal(frame),
    nameOf: (id) => names.get(id) || room.nameOf(id) || "Participant",
    onStream,
    onMeta,
    mayConnect: (id) => {
      if (stageOnly && !config.is_host && !hostIds.has(id)) return false;
      return room.spaceOf(id) === room.spaceOf(config.me.user_id);
    },
  });
}

/** The modes this person may choose now (the media policy and the room's size). */
export function allowedModes(join, present) {
  if (join.kind === "none") return ["none"];
  if (join.kind !== "builtin" || !join.media) return ["video", "audio", "none"];
  const media = join.media;
  const modes = media.modes.filter((mode) => {
    if (mode === "video") return media.publish_video && present <= media.video_participant_limit;
    if (mode === "audio") return media.publish_audio;
    return true;
  });
  return modes.length ? modes : ["none"];
}
