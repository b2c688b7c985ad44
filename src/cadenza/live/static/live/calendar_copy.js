// "Copy" buttons: copy the text of the input named by data-copy-target and say so.
for (const button of document.querySelectorAll("[data-copy-target]")) {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copyTarget);
    const status = button.parentElement.querySelector("[data-copy-status]");
    try {
      await navigator.clipboard.writeText(input.value);
      if (status) status.textContent = "Copied.";
    } catch {
      input.select();
      if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy.";
    }
  });
}
