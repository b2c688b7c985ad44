// The bell in the page header: its unread count, live over the person's socket. The count
// arrives with the socket's hello (so the page itself asks the database nothing for it) and
// again whenever it changes. While reconnecting the bell keeps its last count and says so.
import { PersonalSocket } from "./personal_socket.js";

const link = document.getElementById("bell");
const badge = document.getElementById("bell-count");

if (link && badge && "WebSocket" in window) {
  let count = 0;
  let state = "connecting";
  const show = () => {
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
    const unread = count === 1 ? "1 unread" : `${count} unread`;
    const suffix = state === "reconnecting" ? ", reconnecting" : "";
    link.setAttribute("aria-label", `Notifications, ${unread}${suffix}`);
    link.dataset.count = String(count);
    link.dataset.state = state;
  };
  const socket = new PersonalSocket(link.dataset.socket);
  socket.on("notifications.unread", (frame) => {
    count = frame.count;
    show();
  });
  socket.onStatus((value) => {
    state = value;
    show();
  });
  socket.start();
}
