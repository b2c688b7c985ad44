// Built-in video: a peer-to-peer WebRTC mesh, one RTCPeerConnection per other participant,
// with offers, answers and ICE candidates carried over the room socket
// ({"type": "live.rtc.offer" | "live.rtc.answer", "to", "sdp"} and
// {"type": "live.rtc.ice", "to", "candidate"}; the server adds "from"). Negotiation follows
// the "perfect negotiation" pattern, so either side may add media at any time: the existing
// participant offers to a newcomer, a late "join with video" renegotiates, and so does a
// shared screen (an extra video track in a stream of its own).
//
// Each connection also carries a small data channel ("meta", negotiated on both sides with
// id 0) on which each side says what it sends: {"audio": on, "video": on, "screen": the id of
// its screen's stream or null}. That is how a peer knows which incoming stream is a screen
// (a remote track says nothing of where it came from) and who has muted their microphone.

import { mediaTile } from "./room_tiles.js";

const OFFER = "live.rtc.offer";
const ANSWER = "live.rtc.answer";
const ICE = "live.rtc.ice";

class Peer {
  constructor(mesh, id) {
    this.mesh = mesh;
    this.id = id;
    this.polite = mesh.selfId > id;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.settingRemoteAnswer = false;
    this.sending = new Map(); // track id -> RTCRtpSender
    this.streams = new Map(); // stream id -> MediaStream received
    this.meta = { audio: true, video: true, screen: null };
    const pc = new RTCPeerConnection({ iceServers: mesh.iceServers });
    this.pc = pc;
    this.channel = pc.createDataChannel("meta", { negotiated: true, id: 0 });
    this.channel.onopen = () => this.sendMeta();
    this.channel.onmessage = ({ data }) => this.onMeta(data);
    pc.onnegotiationneeded = () => this.negotiate();
    pc.onicecandidate = ({ candidate }) => {
      mesh.send({ type: ICE, to: id, candidate: candidate ? candidate.toJSON() : null });
    };
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] || this.streams.get("loose") || new MediaStream();
      if (!streams[0]) {
        stream.addTrack(track);
        this.streams.set("loose", stream);
      } else this.streams.set(stream.id, stream);
      stream.onremovetrack = () => {
        if (!stream.getTracks().some((t) => t.readyState === "live")) this.forget(stream.id);
      };
      this.place(stream);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed") pc.restartIce();
    };
  }

  /** Show a received stream in this person's camera tile or, for their screen, its own. */
  place(stream) {
    const screen = this.meta.screen !== null && stream.id === this.meta.screen;
    if (screen) this.shownScreen = stream.id;
    const video = this.mesh.tile(this.id, screen ? "screen" : "camera");
    if (video.srcObject !== stream) video.srcObject = stream;
    if (!screen) this.mesh.onStream(this.id, stream);
  }

  forget(streamId) {
    this.streams.delete(streamId);
    if (streamId === this.shownScreen) {
      this.mesh.removeTile(this.id, "screen");
      this.shownScreen = null;
    }
  }

  onMeta(data) {
    let meta;
    try {
      meta = JSON.parse(data);
    } catch {
      return;
    }
    this.meta = {
      audio: meta.audio !== false,
      video: meta.video !== false,
      screen: typeof meta.screen === "string" ? meta.screen : null,
    };
    if (this.meta.screen === null || (this.shownScreen && this.shownScreen !== this.meta.screen)) {
      this.mesh.removeTile(this.id, "screen");
      this.shownScreen = null;
    }
    if (this.meta.screen && this.streams.has(this.meta.screen)) {
      // The screen's track came before the word of it: it goes to its own tile, and the
      // camera back to the camera's.
      this.place(this.streams.get(this.meta.screen));
      for (const [streamId, stream] of this.streams) if (streamId !== this.meta.screen) this.place(stream);
    }
    this.mesh.onMeta(this.id, this.meta);
  }

  sendMeta() {
    if (this.channel.readyState !== "open") return;
    this.channel.send(JSON.stringify(this.mesh.ownMeta()));
  }

  async negotiate() {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendDescription();
    } catch (error) {
      console.warn("video negotiation failed", error);
    } finally {
      this.makingOffer = false;
    }
  }

  sendDescription() {
    const description = this.pc.localDescription;
    this.mesh.send({
      type: description.type === "offer" ? OFFER : ANSWER,
      to: this.id,
      sdp: description.sdp,
    });
  }

  attach(stream, mode, screen) {
    if (!stream) {
      if (!this.receiving) {
        this.receiving = true;
        this.pc.addTransceiver("audio", { direction: "recvonly" });
        this.pc.addTransceiver("video", { direction: "recvonly" });
      }
    } else {
      for (const track of stream.getTracks()) this.send(track, stream);
      if (mode === "audio" && !this.receiving) {
        this.receiving = true;
        this.pc.addTransceiver("video", { direction: "recvonly" });
      }
    }
    if (screen) for (const track of screen.getTracks()) this.send(track, screen);
  }

  send(track, stream) {
    if (!this.sending.has(track.id)) this.sending.set(track.id, this.pc.addTrack(track, stream));
  }

  unsend(track) {
    const sender = this.sending.get(track.id);
    if (!sender) return;
    this.sending.delete(track.id);
    if (this.pc.signalingState !== "closed") this.pc.removeTrack(sender);
  }

  async onDescription(type, sdp) {
    const pc = this.pc;
    // "Perfect negotiation": while our answer's remote description is still being applied,
    // the connection is about to be stable, so an offer arriving then is not a collision.
    const readyForOffer =
      !this.makingOffer && (pc.signalingState === "stable" || this.settingRemoteAnswer);
    const offerCollision = type === "offer" && !readyForOffer;
    this.ignoreOffer = !this.polite && offerCollision;
    if (this.ignoreOffer) return;
    this.settingRemoteAnswer = type === "answer";
    try {
      await pc.setRemoteDescription({ type, sdp });
    } finally {
      this.settingRemoteAnswer = false;
    }
    if (type === "offer") {
      await pc.setLocalDescription();
      this.sendDescription();
    }
  }

  async onCandidate(candidate) {
    if (!candidate || !candidate.candidate) return;
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (error) {
      if (!this.ignoreOffer) console.warn("ICE candidate refused", error);
    }
  }

  close() {
    this.channel.close();
    this.pc.close();
    for (const stream of this.streams.values()) this.mesh.onStream(this.id, null, stream);
    this.mesh.removeTile(this.id, "camera");
    this.mesh.removeTile(this.id, "screen");
  }
}

export class Mesh {
  /**
   * @param {object} options  selfId, selfName, iceServers, send(frame), area (element),
   *   nameOf(id) -> string, mayConnect(id) -> bool (the media policy and breakout rooms),
   *   onStream(id, stream|null) (a person's camera and microphone, for the speaker detection),
   *   onMeta(id, meta) (what a person sends changed)
   */
  constructor(options) {
    this.onStream = () => {};
    this.onMeta = () => {};
    Object.assign(this, options);
    this.peers = new Map();
    this.epochs = new Map(); // user id -> how many times they left (a peer made before is stale)
    this.known = new Set();
    this.stream = null;
    this.screen = null;
    this.mode = null;
    this.joined = false;
    this.left = false;
  }

  tile(id, kind) {
    const name = id === this.selfId ? `${this.selfName} (you)` : this.nameOf(id);
    return mediaTile(this.area, { userId: id, kind, name, self: id === this.selfId });
  }

  removeTile(id, kind) {
    const figure = this.area.querySelector(`[data-peer="${id}"][data-kind="${kind}"]`);
    if (figure) figure.remove();
  }

  /** Join with "video", "audio" or "none" (receive only); answers the mode actually used. */
  async join(mode) {
    this.joined = true;
    this.left = false;
    this.mode = mode;
    if (mode !== "none") {
      try {
        this.stream = await navigator.mediaDevices.getUserMedia({
          audio: true,
          video: mode === "video",
        });
      } catch (error) {
        console.warn("no camera or microphone", error);
        this.stream = null;
        this.mode = "none";
      }
    }
    if (this.left) {
      // Left (or the session ended) while the browser was asking for the camera.
      this.stopTracks();
      return "none";
    }
    if (this.stream && this.mode === "video") this.tile(this.selfId, "camera").srcObject = this.stream;
    if (this.stream) this.onStream(this.selfId, this.stream);
    for (const id of this.known) this.connect(id);
    // A peer that called while the browser asked for the camera heard "nothing sent" on the
    // data channel: tell everyone what is sent now.
    if (this.stream) this.tellEveryone();
    return this.mode;
  }

  peer(id) {
    let peer = this.peers.get(id);
    if (!peer) {
      peer = new Peer(this, id);
      peer.epoch = this.epochs.get(id) || 0;
      this.peers.set(id, peer);
    }
    return peer;
  }

  connect(id) {
    if (!this.joined || id === this.selfId || !this.mayConnect(id)) return;
    this.peer(id).attach(this.stream, this.mode, this.screen);
  }

  /** A person's first socket opened (``live.presence`` joined) or their last one closed. */
  presence(id, state) {
    if (id === this.selfId) return;
    // A connection made since the person last left is theirs now (they called first, having
    // come back: presence frames come up to a second late) and is kept; an older one belongs
    // to a tab that is gone.
    if (state === "joined") {
      this.known.add(id);
      const peer = this.peers.get(id);
      if (!peer || peer.epoch !== (this.epochs.get(id) || 0)) this.drop(id);
      this.connect(id);
    } else {
      this.known.delete(id);
      this.epochs.set(id, (this.epochs.get(id) || 0) + 1);
      this.drop(id);
    }
  }

  drop(id) {
    const peer = this.peers.get(id);
    if (peer) {
      peer.close();
      this.peers.delete(id);
    }
  }

  /** The people one may see changed (breakout rooms started or closed). */
  regroup() {
    for (const id of [...this.peers.keys()]) if (!this.mayConnect(id)) this.drop(id);
    for (const id of this.known) if (!this.peers.has(id)) this.connect(id);
  }

  async signal(frame) {
    const from = frame.from;
    if (typeof from !== "number" || from === this.selfId || !this.mayConnect(from)) return;
    this.known.add(from);
    if (this.left) return; // left (or the session ended): nothing connects again
    // A peer that calls first gets our own tracks in the answer, not in a second round.
    if (!this.peers.has(from)) this.connect(from);
    const peer = this.peer(from);
    try {
      if (frame.type === ICE) await peer.onCandidate(frame.candidate);
      else await peer.onDescription(frame.type === OFFER ? "offer" : "answer", frame.sdp);
    } catch (error) {
      console.warn("video signalling failed", error);
    }
    if (this.joined && this.peers.get(from) === peer) peer.attach(this.stream, this.mode, this.screen);
  }

  ownMeta() {
    const on = (tracks) => tracks.length > 0 && tracks.every((t) => t.enabled);
    return {
      audio: this.stream ? on(this.stream.getAudioTracks()) : false,
      video: this.stream ? on(this.stream.getVideoTracks()) : false,
      screen: this.screen ? this.screen.id : null,
    };
  }

  tellEveryone() {
    for (const peer of this.peers.values()) peer.sendMeta();
    this.onMeta(this.selfId, this.ownMeta());
  }

  setTrackEnabled(kind, enabled) {
    if (!this.stream) return false;
    const tracks = kind === "audio" ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
    for (const track of tracks) track.enabled = enabled;
    this.tellEveryone();
    return tracks.length > 0;
  }

  /** Share a screen, a window or a tab (the browser asks which); answers whether it does. */
  async shareScreen() {
    if (this.screen || !this.joined) return Boolean(this.screen);
    let screen;
    try {
      screen = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      console.warn("no screen shared", error);
      return false;
    }
    if (this.left) {
      for (const track of screen.getTracks()) track.stop();
      return false;
    }
    this.screen = screen;
    for (const track of screen.getVideoTracks()) {
      track.contentHint = "detail";
      // The browser's own "Stop sharing" ends the track.
      track.addEventListener("ended", () => this.stopScreen());
    }
    this.tile(this.selfId, "screen").srcObject = screen;
    // The peers learn the stream's id before its track arrives (the channel is ordered and
    // open; the track needs a round of negotiation).
    this.tellEveryone();
    // Stopped meanwhile (the hosts no longer let learners share: the room stops it at once).
    if (this.screen !== screen) return false;
    for (const peer of this.peers.values()) peer.attach(this.stream, this.mode, screen);
    return true;
  }

  stopScreen() {
    const screen = this.screen;
    if (!screen) return;
    this.screen = null;
    for (const track of screen.getTracks()) {
      track.stop();
      for (const peer of this.peers.values()) peer.unsend(track);
    }
    this.removeTile(this.selfId, "screen");
    this.tellEveryone();
  }

  stopTracks() {
    for (const stream of [this.stream, this.screen]) {
      if (stream) for (const track of stream.getTracks()) track.stop();
    }
    if (this.stream) this.onStream(this.selfId, null, this.stream);
    this.stream = null;
    this.screen = null;
  }

  /** Stop this person's camera, microphone and screen and close every connection. */
  leave() {
    this.joined = false;
    this.left = true;
    for (const id of [...this.peers.keys()]) this.drop(id);
    this.stopTracks();
    this.area.replaceChildren();
  }
}
