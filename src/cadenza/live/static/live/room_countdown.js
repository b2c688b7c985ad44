// The countdown on a session's page before the lobby opens: "2 h 05 min", then minutes and
// seconds; when the lobby opens the page reloads into the pre-join check.

function format(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h >= 24) return `${Math.floor(h / 24)} d ${h % 24} h`;
  if (h) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m >= 10) return `${m} min`;
  return `${m} min ${String(s).padStart(2, "0")} s`;
}

const timers = [...document.querySelectorAll("[data-countdown]")];
function tick() {
  for (const timer of timers) {
    const left = Math.max(0, Math.round((Date.parse(timer.dataset.countdown) - Date.now()) / 1000));
    timer.textContent = format(left);
    if (left === 0 && timer.hasAttribute("data-reload-at-zero") && !tick.reloading) {
      tick.reloading = true;
      setTimeout(() => location.reload(), 1500);
    }
  }
}
tick();
setInterval(tick, 1000);
