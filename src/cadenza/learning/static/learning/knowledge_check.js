// Knowledge checks (the save status lines are web/autosave_status.js's).
"use strict";

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
