// The pre-join check: camera preview, microphone level, a round trip over the room socket,
// then "join with video / audio only / without video" (as the media policy allows).

import { AWAY_KEY } from "./room_controls.js";
import { allowedModes } from "./room_video.js";

function setCheck(section, name, text, ok) {
  const item = section.querySelector(`[data-check="${name}"]`);
  item.querySelector("span").textContent = text;
  item.dataset.ok = ok === null ? "" : String(ok);
}

export class Prejoin {
  constructor({ section, join, onJoin }) {
    this.section = section;
    this.join = join;
    this.onJoin = onJoin;
    this.stream = null;
    this.audio = null;
    section.querySelector("#prejoin-test").addEventListener("click", () => this.check());
    const away = section.querySelector("#prejoin-away-off");
    away.checked = localStorage.getItem(AWAY_KEY) === "1";
    away.addEventListener("change", () => localStorage.setItem(AWAY_KEY, away.checked ? "1" : "0"));
    for (const button of section.querySelectorAll("[data-join]")) {
      button.addEventListener("click", () => {
        this.stop();
        this.onJoin(button.dataset.join);
      });
    }
    if (join.kind === "none" || join.kind === "bigbluebutton") {
      section.querySelector("#prejoin-test").closest("p").hidden = join.kind === "none";
    }
    this.offer(1);
  }

  /** Show the join buttons the policy allows with ``present`` people in the room. */
  offer(present) {
    const modes = allowedModes(this.join, present);
    for (const button of this.section.querySelectorAll("[data-join]")) {
      button.hidden = !modes.includes(button.dataset.join);
    }
    const only = this.section.querySelector('[data-join="none"]');
    only.textContent = modes.length === 1 ? "Join the room" : "Join without video";
    const note = this.section.querySelector("#prejoin-note");
    if (this.join.kind === "builtin" && this.join.media && !this.join.media.publish_video) {
      note.textContent = "In this webinar the hosts are on stage: you watch and listen, and take part through chat, questions, polls and your hand.";
    } else if (this.join.kind === "builtin" && !modes.includes("video") && modes.includes("audio")) {
      note.textContent = "With this many people in the room, video falls back to audio.";
    } else {
      note.textContent = "";
    }
  }

  show() {
    this.section.hidden = false;
  }

  hide() {
    this.section.hidden = true;
    this.stop();
  }

  async check() {
    this.stop();
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    } catch (error) {
      setCheck(this.section, "camera", `not available (${error.name})`, false);
      setCheck(this.section, "microphone", `not available (${error.name})`, false);
      return;
    }
    const preview = this.section.querySelector("#prejoin-preview");
    preview.srcObject = this.stream;
    const video = this.stream.getVideoTracks()[0];
    const settings = video ? video.getSettings() : {};
    setCheck(
      this.section,
      "camera",
      video ? `working${settings.width ? ` (${settings.width}×${settings.height})` : ""}` : "none found",
      Boolean(video),
    );
    const microphone = this.stream.getAudioTracks()[0];
    setCheck(this.section, "microphone", microphone ? "working: speak to see the level" : "none found", Boolean(microphone));
    if (microphone) this.meter(this.stream);
  }

  meter(stream) {
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const meter = this.section.querySelector("#prejoin-level");
    const tick = () => {
      if (!this.audio) return;
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      requestAnimationFrame(tick);
    };
    this.audio = context;
    tick();
  }

  /** The connection check: one ping over the room socket. */
  async measure(socket) {
    const rtt = await socket.ping();
    if (rtt === null) setCheck(this.section, "connection", "not connected yet", false);
    else setCheck(this.section, "connection", `connected, round trip ${rtt} ms`, rtt < 1000);
  }

  stop() {
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
    if (this.audio) this.audio.close();
    this.audio = null;
  }
}
