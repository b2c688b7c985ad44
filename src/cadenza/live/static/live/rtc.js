// Built-in video: a peer-to-peer WebRTC mesh, one RTCPeerConnection per other participant,
// with offers, answers and ICE candidates carried over the room socket
// ({"type": "live.rtc.offer" | "live.rtc.answer", "to", "sdp"} and
// {"type": "live.rtc.ice", "to", "candidate"}; the server adds "from"). Negotiation follows
// the "perfect negotiation" pattern, so either side may add media at any time: the existing
// participant offers to a newcomer, and a late "join with video" renegotiates.

const OFFER = "live.rtc.offer";
const ANSWER = "live.rtc.answer";
const ICE = "live.rtc.ice";

function tile(area, id, label, muted) {
  let figure = area.querySelector(`[data-peer="${id}"]`);
  if (!figure) {
    figure = document.createElement("figure");
    figure.className = "video-tile";
    figure.dataset.peer = String(id);
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.muted = muted;
    video.setAttribute("aria-label", `Video of ${label}`);
    const caption = document.createElement("figcaption");
    caption.textContent = label;
    figure.append(video, caption);
    area.append(figure);
  }
  return figure.querySelector("video");
}

class Peer {
  constructor(mesh, id) {
    this.mesh = mesh;
    this.id = id;
    this.polite = mesh.selfId > id;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.settingRemoteAnswer = false;
    this.sending = new Set();
    const pc = new RTCPeerConnection({ iceServers: mesh.iceServers });
    this.pc = pc;
    pc.onnegotiationneeded = () => this.negotiate();
    pc.onicecandidate = ({ candidate }) => {
      mesh.send({ type: ICE, to: id, candidate: candidate ? candidate.toJSON() : null });
    };
    pc.ontrack = ({ track, streams }) => {
      const video = tile(mesh.area, id, mesh.nameOf(id), false);
      const stream = streams[0] || video.srcObject || new MediaStream();
      if (!streams[0]) stream.addTrack(track);
      if (video.srcObject !== stream) video.srcObject = stream;
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed") pc.restartIce();
    };
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

  attach(stream, mode) {
    if (!stream) {
      if (!this.receiving) {
        this.receiving = true;
        this.pc.addTransceiver("audio", { direction: "recvonly" });
        this.pc.addTransceiver("video", { direction: "recvonly" });
      }
      return;
    }
    for (const track of stream.getTracks()) {
      if (!this.sending.has(track.id)) {
        this.sending.add(track.id);
        this.pc.addTrack(track, stream);
      }
    }
    if (mode === "audio" && !this.receiving) {
      this.receiving = true;
      this.pc.addTransceiver("video", { direction: "recvonly" });
    }
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
    this.pc.close();
    const figure = this.mesh.area.querySelector(`[data-peer="${this.id}"]`);
    if (figure) figure.remove();
  }
}

export class Mesh {
  /**
   * @param {object} options  selfId, selfName, iceServers, send(frame), area (element),
   *   nameOf(id) -> string, mayConnect(id) -> bool (the media policy and breakout rooms)
   */
  constructor(options) {
    Object.assign(this, options);
    this.peers = new Map();
    this.known = new Set();
    this.stream = null;
    this.mode = null;
    this.joined = false;
  }

  /** Join with "video", "audio" or "none" (receive only); answers the mode actually used. */
  async join(mode) {
    this.joined = true;
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
    if (this.stream && this.mode === "video") {
      const own = tile(this.area, "self", `${this.selfName} (you)`, true);
      own.srcObject = this.stream;
    }
    for (const id of this.known) this.connect(id);
    return this.mode;
  }

  peer(id) {
    let peer = this.peers.get(id);
    if (!peer) {
      peer = new Peer(this, id);
      this.peers.set(id, peer);
    }
    return peer;
  }

  connect(id) {
    if (!this.joined || id === this.selfId || !this.mayConnect(id)) return;
    this.peer(id).attach(this.stream, this.mode);
  }

  /** A person's first socket opened (``live.presence`` joined) or their last one closed. */
  presence(id, state) {
    if (id === this.selfId) return;
    if (state === "joined") {
      this.known.add(id);
      this.drop(id);
      this.connect(id);
    } else {
      this.known.delete(id);
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
    // A peer that calls first gets our own tracks in the answer, not in a second round.
    if (!this.peers.has(from)) this.connect(from);
    const peer = this.peer(from);
    try {
      if (frame.type === ICE) await peer.onCandidate(frame.candidate);
      else await peer.onDescription(frame.type === OFFER ? "offer" : "answer", frame.sdp);
    } catch (error) {
      console.warn("video signalling failed", error);
    }
    if (this.joined && this.peers.get(from) === peer) peer.attach(this.stream, this.mode);
  }

  setTrackEnabled(kind, enabled) {
    if (!this.stream) return false;
    const tracks = kind === "audio" ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
    for (const track of tracks) track.enabled = enabled;
    return tracks.length > 0;
  }

  leave() {
    for (const id of [...this.peers.keys()]) this.drop(id);
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
    this.joined = false;
  }
}
