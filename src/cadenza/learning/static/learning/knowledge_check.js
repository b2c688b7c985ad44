// Knowledge checks: show why an autosave failed. htmx does not swap 4xx answers, so the
// server's {"detail": ...} is written into the question's status line here.
"use strict";

function statusFor(event) {
  const target = event.detail && event.detail.target;
  return target && target.matches && target.matches("[data-save-status]") ? target : null;
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const status = statusFor(event);
  if (status) status.classList.remove("error");
});

document.addEventListener("htmx:responseError", (event) => {
  const status = statusFor(event);
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
  const status = statusFor(event);
  if (!status) return;
  status.textContent = "Not saved: no connection. Submitting the form will send your answers.";
  status.classList.add("error");
});

// Enter in a text or number answer would submit the whole check (and use an attempt):
// the answer is autosaved instead, and the learner submits with the button.
document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== "Enter" || !(input instanceof HTMLInputElement)) return;
  if (!input.closest("[data-check-form]") || !["text", "number"].includes(input.type)) return;
  event.preventDefault();
  input.dispatchEvent(new Event("change", { bubbles: true }));
});

// Forms that destroy something ask first (deleting a question deletes its answers).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
