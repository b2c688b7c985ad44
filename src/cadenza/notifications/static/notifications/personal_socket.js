// The person's one socket (/ws/me/): the bell's count now, open forum threads later. Each
// feature subscribes to frame types ("notifications.unread") with on(); the socket says hello
// on every (re)connect and the server answers with each feature's current state, so a frame
// lost while disconnected is never missed. Reconnects with exponential backoff and "equal
// jitter"; a heartbeat ping every 25 s, and a socket silent for 60 s is closed and reopened.
// Closed with 4401/4403 (signed out, access revoked): it stops.

const HEARTBEAT_MS = 25_000;
const SILENCE_MS = 60_000;
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_FORBIDDEN = 4403;

export class PersonalSocket {
  constructor(path) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.url = `${scheme}//${location.host}${path}`;
    this.handlers = new Map();
    this.statusHandlers = [];
    this.attempt = 0;
    this.stopped = false;
    this.ws = null;
  }

  on(type, handler) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(handler);
  }

  onStatus(handler) {
    this.statusHandlers.push(handler);
  }

  status(value) {
    for (const handler of this.statusHandlers) handler(value);
  }

  start() {
    this.open();
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    window.addEventListener("online", () => this.reconnectNow());
  }

  open() {
    this.status(this.attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.lastFrameAt = Date.now();
      ws.send(JSON.stringify({ type: "hello" }));
    });
    ws.addEventListener("message", (event) => {
      this.lastFrameAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === "me.ready") {
        this.attempt = 0;
        this.status("connected");
      }
      for (const handler of this.handlers.get(frame.type) || []) handler(frame);
    });
    ws.addEventListener("close", (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (event.code === CLOSE_FORBIDDEN || event.code === CLOSE_UNAUTHENTICATED) {
        this.stopped = true;
        clearInterval(this.heartbeat);
        this.status("closed");
        return;
      }
      this.scheduleReconnect();
    });
  }

  scheduleReconnect() {
    if (this.stopped) return;
    this.attempt += 1;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (this.attempt - 1));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.status("reconnecting");
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  reconnectNow() {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.open();
  }

  beat() {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastFrameAt > SILENCE_MS) {
      ws.close(); // the close handler reconnects
      return;
    }
    ws.send(JSON.stringify({ type: "ping" }));
  }
}
