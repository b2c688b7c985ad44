// Assignments: say why an autosave of the draft failed. htmx does not swap 4xx answers, so
// the server's {"detail": ...} is written into the draft's status line here.
"use strict";

function draftStatus(event) {
  const target = event.detail && event.detail.target;
  return target && target.matches && target.matches("[data-save-status]") ? target : null;
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const status = draftStatus(event);
  if (status) status.classList.remove("error");
});

document.addEventListener("htmx:responseError", (event) => {
  const status = draftStatus(event);
  if (!status) return;
  let detail = "please try again.";
  try {
    detail = JSON.parse(event.detail.xhr.responseText).detail || detail;
  } catch (_error) {
    // Not JSON (a proxy's error page): keep the generic message.
  }
  status.textContent = "Not saved: " + detail;
  status.classList.add("error");
});

document.addEventListener("htmx:sendError", (event) => {
  const status = draftStatus(event);
  if (!status) return;
  status.textContent = "Not saved: no connection. Submitting the form sends your answer.";
  status.classList.add("error");
});
