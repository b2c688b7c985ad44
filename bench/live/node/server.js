// The bare Node.js baseline of `make bench-live`: one process, one room, every client in it.
// A chat.post frame is answered by one live.chat.posted frame, encoded once and sent to every
// open socket (the sender included), as the Cadenza room and the bare Channels room do.
// Usage: node server.js PORT
"use strict";
const { WebSocketServer, WebSocket } = require("ws");

const port = Number(process.argv[2] || 8765);
const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });
let seq = 0;

wss.on("connection", (socket) => {
  socket.on("message", (data) => {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (message.type !== "chat.post") return;
    seq += 1;
    const frame = JSON.stringify({ type: "live.chat.posted", seq, body: message.body });
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(frame);
    }
  });
});
wss.on("listening", () => console.log(`ws ${require("ws/package.json").version} on ${port}`));
