// Who is speaking: an AnalyserNode on each person's microphone (their own track and each one
// received), read five times a second. The active speaker is the loudest person above a
// threshold, and changes only after the new one has been loudest for two readings in a row
// (a cough does not move the stage); silence keeps the last speaker.

const THRESHOLD = 0.01; // RMS of the samples, 0..1: above the hiss of a quiet room
const READ_EVERY_MS = 200;

export class SpeakerDetector {
  constructor({ onSpeaking, onActive }) {
    this.onSpeaking = onSpeaking; // (userId, speaking) when a person starts or stops
    this.onActive = onActive; // (userId) when the active speaker changes
    this.watched = new Map(); // user id -> { source, analyser, stream, speaking }
    this.active = null;
    this.candidate = null;
    this.timer = null;
    this.audio = null;
  }

  context() {
    if (!this.audio) {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return null;
      this.audio = new Context();
    }
    if (this.audio.state === "suspended") this.audio.resume().catch(() => {});
    return this.audio;
  }

  /** Listen to ``stream``'s microphone as ``userId``'s; null stops listening. */
  watch(userId, stream) {
    const known = this.watched.get(userId);
    if (known && known.stream === stream) return;
    this.unwatch(userId);
    if (!stream || stream.getAudioTracks().length === 0) return;
    const audio = this.context();
    if (!audio) return;
    const source = audio.createMediaStreamSource(stream);
    const analyser = audio.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    this.watched.set(userId, { source, analyser, stream, speaking: false, samples: new Float32Array(analyser.fftSize) });
    if (!this.timer) this.timer = setInterval(() => this.read(), READ_EVERY_MS);
  }

  unwatch(userId) {
    const known = this.watched.get(userId);
    if (!known) return;
    known.source.disconnect();
    this.watched.delete(userId);
    if (known.speaking) this.onSpeaking(userId, false);
    if (this.active === userId) {
      this.active = null;
      this.onActive(null);
    }
  }

  level(entry) {
    if (!entry.stream.getAudioTracks().some((t) => t.enabled && t.readyState === "live")) return 0;
    entry.analyser.getFloatTimeDomainData(entry.samples);
    let sum = 0;
    for (const sample of entry.samples) sum += sample * sample;
    return Math.sqrt(sum / entry.samples.length);
  }

  read() {
    let loudest = null;
    let loudestLevel = THRESHOLD;
    for (const [userId, entry] of this.watched) {
      const level = this.level(entry);
      const speaking = level > THRESHOLD;
      if (speaking !== entry.speaking) {
        entry.speaking = speaking;
        this.onSpeaking(userId, speaking);
      }
      if (level > loudestLevel) {
        loudest = userId;
        loudestLevel = level;
      }
    }
    if (loudest === null || loudest === this.active) {
      this.candidate = null;
      return;
    }
    if (this.candidate === loudest) {
      this.active = loudest;
      this.candidate = null;
      this.onActive(loudest);
    } else this.candidate = loudest;
  }

  stop() {
    for (const userId of [...this.watched.keys()]) this.unwatch(userId);
    clearInterval(this.timer);
    this.timer = null;
    if (this.audio) this.audio.close().catch(() => {});
    this.audio = null;
  }
}
