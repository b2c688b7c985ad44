// Reports a learner's time on a unit page, and for videos what was actually played, to the
// unit's progress endpoint (learning.views.learner.record_progress).
//
// - Active time counts only while the page is visible.
// - Played time is summed from small forward steps of currentTime while playing, so a seek
//   never counts as watching (the server also bounds it by the wall clock).
// - Reports every 5 s while a video plays (15 s otherwise), on pause/ended, when the page is
//   hidden, and with navigator.sendBeacon on pagehide.
// - Resumes a video at the saved position; shows "Completed" when the server says so.

const root = document.querySelector("[data-unit-progress]");

function csrfToken() {
  try {
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  } catch {
    return "";
  }
}

if (root) {
  const url = root.dataset.progressUrl;
  const video = root.querySelector("[data-unit-video]");
  const statusBox = root.querySelector("[data-progress-status]");
  const watchedBox = root.querySelector("[data-watched-percent]");
  const resumeAt = Number.parseFloat(root.dataset.resumePosition || "0") || 0;

  let activeMs = 0;
  let visibleSince = document.visibilityState === "visible" ? performance.now() : null;
  let played = 0;
  let lastTime = null;
  let completed = false;

  const takeActiveSeconds = () => {
    const now = performance.now();
    if (visibleSince !== null) {
      activeMs += now - visibleSince;
      visibleSince = document.visibilityState === "visible" ? now : null;
    }
    const seconds = Math.min(activeMs / 1000, 60);
    activeMs = 0;
    return seconds;
  };

  const buildReport = () => {
    const form = new FormData();
    form.set("csrfmiddlewaretoken", csrfToken());
    form.set("active_seconds", takeActiveSeconds().toFixed(2));
    if (video) {
      form.set("position_seconds", (video.currentTime || 0).toFixed(2));
      form.set("played_seconds", Math.min(played, 60).toFixed(2));
      if (Number.isFinite(video.duration) && video.duration > 0) {
        form.set("duration_seconds", video.duration.toFixed(2));
      }
      played = 0;
    }
    return form;
  };

  const showState = (data) => {
    if (watchedBox && typeof data.watched_percent === "number") {
      watchedBox.textContent = String(Math.round(data.watched_percent));
    }
    if (data.completed && !completed) {
      completed = true;
      if (statusBox) {
        statusBox.innerHTML = '<span class="state completed">Completed</span>';
      }
    }
  };

  let sending = false;
  const report = async () => {
    if (sending) return;
    sending = true;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: buildReport(),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) showState(await response.json());
    } catch {
      // Offline for a moment: the time is lost, the next report carries on.
    } finally {
      sending = false;
    }
  };

  const beacon = () => {
    if (navigator.sendBeacon) navigator.sendBeacon(url, buildReport());
    else report();
  };

  if (video) {
    video.addEventListener("loadedmetadata", () => {
      if (resumeAt > 0 && resumeAt < video.duration - 2) video.currentTime = resumeAt;
      lastTime = video.currentTime;
    });
    video.addEventListener("timeupdate", () => {
      const now = video.currentTime;
      if (lastTime !== null && !video.seeking && !video.paused) {
        const step = now - lastTime;
        if (step > 0 && step < 2) played += step;
      }
      lastTime = now;
    });
    video.addEventListener("seeked", () => {
      lastTime = video.currentTime;
    });
    video.addEventListener("pause", report);
    video.addEventListener("ended", report);
  }

  let ticks = 0;
  setInterval(() => {
    ticks += 1;
    const playing = video && !video.paused && !video.ended;
    if (playing || ticks % 3 === 0) {
      if (document.visibilityState === "visible" || playing) report();
    }
  }, 5000);

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      visibleSince = performance.now();
    } else {
      beacon();
      visibleSince = null;
    }
  });
  window.addEventListener("pagehide", beacon);
}
