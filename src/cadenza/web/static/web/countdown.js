// Keeps the dashboard's "Starts in ..." countdowns current. Progressive enhancement: the
// server renders the same phrase, and the <time> next to it is the truth; this only moves
// the phrase on while the page stays open. Elements: <span data-countdown="ISO 8601 time">.

const MINUTE = 60 * 1000;

export function countdownText(milliseconds) {
  const minutes = Math.ceil(Math.max(0, milliseconds) / MINUTE);
  if (minutes === 0) return "now";
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const mins = minutes % 60;
  let parts;
  if (days) parts = [`${days} day${days > 1 ? "s" : ""}`].concat(hours ? [`${hours} h`] : []);
  else if (hours) parts = [`${hours} h`].concat(mins ? [`${mins} min`] : []);
  else parts = [`${mins} min`];
  return "in " + parts.join(" ");
}

function update() {
  const now = Date.now();
  for (const element of document.querySelectorAll("[data-countdown]")) {
    const start = Date.parse(element.dataset.countdown);
    if (!Number.isNaN(start)) element.textContent = countdownText(start - now);
  }
}

update();
setInterval(update, 20 * 1000);
