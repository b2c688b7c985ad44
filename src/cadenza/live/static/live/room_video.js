// The room's video, per provider (the join details the page embeds): the built-in mesh
// (rtc.js), Jitsi Meet's IFrame API, a BigBlueButton link (rendered by the page), or none.

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
}

class JitsiVideo extends NoVideo {
  constructor(join, area) {
    super();
    this.details = join;
    this.area = area;
  }

  async join(mode) {
    await loadScript(this.details.script_url);
    const embed = { ...this.details.embed };
    embed.parentNode = this.area;
    embed.configOverwrite = {
      ...(embed.configOverwrite || {}),
      startWithVideoMuted: mode !== "video",
      startWithAudioMuted: mode === "none",
    };
    this.api = new window.JitsiMeetExternalAPI(this.details.domain, embed);
    return mode;
  }
}

/** The video of the room for these join details; ``room`` gives the room's current state. */
export function createVideo({ join, config, socket, area, room }) {
  if (join.kind === "jitsi") return new JitsiVideo(join, area);
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
