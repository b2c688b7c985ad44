// The room's own forms: chat (Enter sends, Shift+Enter makes a new line; typing is told to
// the others), a question (optionally anonymous) and the raise-hand button.

const $ = (id) => document.getElementById(id);

export function setupForms(ctx, socket) {
  const { els, act } = ctx;
  els.chatForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = els.chatBody.value;
    const target = els.chatTo.value;
    const fields = { body };
    if (target.startsWith("user:")) fields.to = Number(target.slice(5));
    if (target.startsWith("room:")) fields.breakout_id = Number(target.slice(5));
    act("chat.post", fields, els.chatError).then((ok) => {
      if (ok && els.chatBody.value === body) els.chatBody.value = "";
    });
  });
  els.chatBody.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      els.chatForm.requestSubmit();
    }
  });
  els.chatBody.addEventListener("input", () => socket.signal({ type: "typing" }));

  els.questionForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = $("question-body");
    const anonymous = $("question-anonymous");
    act("question.ask", { body: body.value, anonymous: anonymous.checked }, els.questionError).then(
      (ok) => {
        if (ok) {
          body.value = "";
          anonymous.checked = false;
        }
      },
    );
  });

  els.handToggle.addEventListener("click", () => {
    const state = ctx.state;
    const raised = state.hands.some((h) => h.person.user_id === state.me.user_id);
    act(raised ? "hand.lower" : "hand.raise", {}, els.handStatus);
  });
}
