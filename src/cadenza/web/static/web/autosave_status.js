// Autosaved answers and drafts (knowledge checks, assignments): say why a save failed. htmx
// does not swap 4xx answers, so the server's {"detail": ...} is written into the status line
// the save targets ([data-save-status]); with no connection, its data-offline text is shown.
"use strict";

function saveStatus(event) {
  const target = event.detail && event.detail.target;
  return target && target.matches && target.matches("[data-save-status]") ? target : null;
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const status = saveStatus(event);
  if (status) status.classList.remove("error");
});

document.addEventListener("htmx:responseError", (event) => {
  const status = saveStatus(event);
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
  const status = saveStatus(event);
  if (!status) return;
  status.textContent = "Not saved: no connection. " + (status.dataset.offline || "Please try again.");
  status.classList.add("error");
});
