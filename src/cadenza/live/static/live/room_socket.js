// The room socket: hello with the last number seen, reconnect with exponential backoff and
// jitter, a heartbeat, and writes that carry a client id and are re-sent until acknowledged
// (a retry is a no-op on the server): after a reconnect, when no answer came in time, and when
// the server answered that it could not store the write just now (code "unavailable", e.g. a
// dropped database connection). The protocol is documented in cadenza/live/room/events/.

const HEARTBEAT_MS = 25_000;
const SILENCE_MS = 60_000; // no frame at all for this long: the connection is dead
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15_000;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_ROOM_FULL = 4429; // the session's capacity is reached: try again later
const FULL_RETRY_MS = 15000;
const WRITE_ANSWER_MS = 10_000; // a write without ack or error for this long is sent again
const WRITE_RETRY_FIRST_MS = 1_000; // after "unavailable": 1 s, 2 s, 4 s ... at most 15 s
const WRITE_RETRIES = 6; // "unavailable" this many times: the write is given up, with the reason

export function newClientId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export class RoomSocket {
  /**
   * @param {string} path  the socket path, e.g. /ws/live/12/
   * @param {object} handlers  onFrame(frame), onStatus(status, detail), lastSeq() -> number
   */
  constructor(path, handlers) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.url = `${scheme}//${location.host}${path}`;
    this.handlers = handlers;
    this.attempt = 0;
    this.pending = new Map(); // client_event_id -> {frame, resolve, reject, sentOn, sentAt, refused}
    this.pings = new Map(); // sent time of our pings, answered by pong
    this.queries = new Map(); // request_id -> {resolve, reject}: reads such as history
    this.ws = null;
    this.stopped = false;
    this.lastFrameAt = Date.now();
  }

  start() {
    this.stopped = false;
    this.attempt = 0;
    this.open();
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    clearInterval(this.answerCheck);
    this.answerCheck = setInterval(() => this.resendUnanswered(), WRITE_ANSWER_MS / 4);
    if (!this.listening) {
      this.listening = true;
      window.addEventListener("online", () => this.reconnectNow());
    }
  }

  stop() {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearInterval(this.answerCheck);
    clearTimeout(this.retryTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
  }

  open() {
    this.handlers.onStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.helloDone = false;
    ws.addEventListener("open", () => {
      this.lastFrameAt = Date.now();
      ws.send(JSON.stringify({ type: "hello", last_seq: this.handlers.lastSeq() }));
    });
    ws.addEventListener("message", (event) => {
      this.lastFrameAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.receive(frame);
    });
    ws.addEventListener("close", (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const query of this.queries.values()) query.reject(new Error("The connection was lost."));
      this.queries.clear();
      if (this.stopped) return;
      if (event.code === CLOSE_FORBIDDEN) {
        this.stopped = true;
        clearInterval(this.heartbeat);
        this.handlers.onStatus("forbidden");
        return;
      }
      if (event.code === CLOSE_ROOM_FULL) {
        this.handlers.onStatus("full");
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.open(), FULL_RETRY_MS / 2 + Math.random() * FULL_RETRY_MS);
        return;
      }
      this.scheduleReconnect();
    });
  }

  scheduleReconnect() {
    this.attempt += 1;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (this.attempt - 1));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter"
    this.handlers.onStatus("reconnecting");
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  reconnectNow() {
    if (this.stopped || (this.ws && this.ws.readyState === WebSocket.OPEN)) return;
    clearTimeout(this.retryTimer);
    if (!this.ws) this.open();
  }

  beat() {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastFrameAt > SILENCE_MS) {
      ws.close(); // the close handler reconnects
      return;
    }
    this.ping();
  }

  /** Send a ping; resolves with the round trip in milliseconds when the pong arrives. */
  ping() {
    return new Promise((resolve) => {
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        resolve(null);
        return;
      }
      const started = performance.now();
      this.pings.set(started, resolve);
      ws.send(JSON.stringify({ type: "ping" }));
    });
  }

  receive(frame) {
    if (typeof frame.request_id === "string" && this.queries.has(frame.request_id)) {
      const query = this.queries.get(frame.request_id);
      this.queries.delete(frame.request_id);
      if (frame.type === "error") query.reject(new Error(frame.detail));
      else query.resolve(frame);
      return;
    }
    switch (frame.type) {
      case "pong": {
        const first = this.pings.keys().next();
        if (!first.done) {
          const resolve = this.pings.get(first.value);
          this.pings.delete(first.value);
          resolve(Math.round(performance.now() - first.value));
        }
        return;
      }
      case "ping":
        return; // the server's heartbeat: receiving it is the point
      case "ack":
        this.settle(frame.client_event_id, (p) => p.resolve(frame));
        return;
      case "error":
        if (frame.client_event_id && this.pending.has(frame.client_event_id)) {
          if (frame.code === "unavailable" && this.retryLater(frame.client_event_id)) return;
          this.settle(frame.client_event_id, (p) => p.reject(new Error(frame.detail)));
          return;
        }
        break;
      case "room.caught_up":
        this.attempt = 0;
        this.helloDone = true;
        this.handlers.onFrame(frame);
        this.handlers.onStatus("live");
        this.resendPending();
        return;
      default:
        break;
    }
    this.handlers.onFrame(frame);
  }

  settle(id, how) {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    how(pending);
  }

  resendPending() {
    for (const pending of this.pending.values()) {
      if (pending.sentOn !== this.ws && !pending.waiting) this.sendPending(pending);
    }
  }

  sendPending(pending) {
    if (!this.helloDone || !this.sendRaw(pending.frame)) return;
    pending.sentOn = this.ws;
    pending.sentAt = Date.now();
  }

  /** A write sent on this socket with no answer for a while: send it again (same client id,
   * so the server stores it at most once and answers with the first ack). */
  resendUnanswered() {
    const now = Date.now();
    for (const pending of this.pending.values()) {
      if (pending.sentOn === this.ws && !pending.waiting && now - pending.sentAt > WRITE_ANSWER_MS) {
        this.sendPending(pending);
      }
    }
  }

  /** The server could not store a write just now: send it again after a growing pause, with
   * the same client id. False once it has tried often enough (the caller then gives up). */
  retryLater(id) {
    const pending = this.pending.get(id);
    pending.refused = (pending.refused || 0) + 1;
    if (pending.refused > WRITE_RETRIES) return false;
    const pause = Math.min(BACKOFF_MAX_MS, WRITE_RETRY_FIRST_MS * 2 ** (pending.refused - 1));
    pending.waiting = true;
    setTimeout(() => {
      pending.waiting = false;
      if (this.pending.get(id) === pending) this.sendPending(pending);
    }, pause / 2 + Math.random() * (pause / 2));
    return true;
  }

  sendRaw(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  /** A write: resolves with the ack, rejects with the server's reason. Kept until answered. */
  write(type, fields = {}) {
    const frame = { type, client_event_id: newClientId(), ...fields };
    return new Promise((resolve, reject) => {
      const pending = { frame, resolve, reject, sentOn: null, sentAt: 0, refused: 0, waiting: false };
      this.pending.set(frame.client_event_id, pending);
      this.sendPending(pending);
    });
  }

  /** A read (``history``): resolves with the server's answer, which echoes ``request_id``;
   * rejects when the socket is not open or closes first (reading again is harmless). */
  query(type, fields = {}) {
    const frame = { type, request_id: newClientId(), ...fields };
    return new Promise((resolve, reject) => {
      if (!this.helloDone || !this.sendRaw(frame)) {
        reject(new Error("Not connected; try again in a moment."));
        return;
      }
      this.queries.set(frame.request_id, { resolve, reject });
    });
  }

  /** An ephemeral frame (typing, video signalling): sent now or dropped. */
  signal(frame) {
    return this.sendRaw(frame);
  }
}
