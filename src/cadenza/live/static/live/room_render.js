// Drawing the room from its state: chat, questions, polls, hands, breakouts. Lists are
// updated by key, so a message being typed, a vote being chosen or the focus survive updates.
// Text always goes in through textContent.

import { orderedQuestions } from "./room_state.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-") || key.startsWith("aria-") || key === "for" || key === "role") {
      node.setAttribute(key, value === true ? "" : String(value));
    } else node[key] = value;
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/* "15:48": the 24-hour clock in the person's zone, as the site's pages show times
   (web/templatetags/cadenza.py local_time), whatever the browser's locale would pick. */
export function clockTime(iso, zone) {
  if (!iso) return "";
  const shape = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try {
    return new Intl.DateTimeFormat("en-GB", { ...shape, timeZone: zone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat("en-GB", shape).format(new Date(iso));
  }
}

function keyed(list, key, items, make, update) {
  const existing = new Map();
  for (const node of [...list.children]) {
    if (node.dataset[key] === undefined) node.remove();
    else existing.set(node.dataset[key], node);
  }
  const wanted = new Set(items.map((item) => String(item.id)));
  for (const [id, node] of existing) if (!wanted.has(id)) node.remove();
  let previous = null;
  for (const item of items) {
    const id = String(item.id);
    let node = existing.get(id);
    if (!node) node = make(item.value);
    update(node, item.value);
    const expected = previous ? previous.nextElementSibling : list.firstElementChild;
    if (expected !== node) {
      if (previous) previous.after(node);
      else list.prepend(node);
    }
    previous = node;
  }
}

export function renderChat(ctx) {
  const { state, config, els, act } = ctx;
  const items = state.chat.map((m) => ({ id: m.message_id, value: m }));
  keyed(
    els.chatList,
    "messageId",
    items,
    (m) => {
      const where = [];
      if (m.recipient) where.push(`privately to ${m.recipient.name}`);
      if (m.breakout_id != null) where.push(`in ${state.breakoutNames[m.breakout_id] || "a breakout room"}`);
      const li = el(
        "li",
        { "data-message-id": m.message_id, class: "chat-message" },
        el("strong", { class: "chat-author", text: m.author.name }),
        " ",
        where.length ? el("span", { class: "muted", text: `(${where.join(", ")}) ` }) : null,
        el("time", { class: "muted", dateTime: m.at, text: clockTime(m.at, config.time_zone) }),
        " ",
        el("span", { class: "chat-body", text: m.body }),
      );
      if (state.me && state.me.is_host) {
        const remove = el("button", {
          type: "button",
          class: "link",
          text: "Delete",
          "aria-label": `Delete the message of ${m.author.name}`,
        });
        remove.addEventListener("click", () => act("chat.delete", { message_id: m.message_id }, els.chatError));
        li.append(" ", remove);
      }
      return li;
    },
    () => {},
  );
  const locked = state.chatLocked && !(state.me && state.me.is_host);
  const muted = Boolean(state.me && state.me.muted && !state.me.is_host);
  els.chatBody.disabled = locked || muted || state.closed;
  els.chatSend.disabled = els.chatBody.disabled;
  els.chatBody.placeholder = locked ? "Chat is locked by the hosts." : muted ? "You are muted in this chat." : "";
}

export function renderChatTargets(ctx) {
  const { state, config, els } = ctx;
  const select = els.chatTo;
  const chosen = select.value;
  const options = [["", state.me && state.me.breakout_id ? "Everyone in my breakout room" : "Everyone"]];
  const policy = config.private_chat;
  const me = config.me.user_id;
  if (policy !== "off" || config.is_host) {
    const people = policy === "on" || config.is_host ? [...config.hosts, ...config.people] : config.hosts;
    for (const person of people) {
      if (person.user_id !== me) options.push([`user:${person.user_id}`, `${person.name} (private)`]);
    }
  }
  if (config.is_host) {
    for (const room of state.breakouts.rooms) options.push([`room:${room.breakout_id}`, `Breakout: ${room.name}`]);
  }
  const signature = JSON.stringify(options);
  if (select.dataset.signature !== signature) {
    select.replaceChildren(...options.map(([value, label]) => el("option", { value, text: label })));
    select.dataset.signature = signature;
    select.value = options.some(([value]) => value === chosen) ? chosen : "";
  }
  els.chatToRow.hidden = options.length === 1;
}

function statusLabel(status) {
  return { open: "Open", answered: "Answered", answered_live: "Answered live" }[status] || status;
}

export function renderQuestions(ctx) {
  const { state, els, act } = ctx;
  const host = Boolean(state.me && state.me.is_host);
  const items = orderedQuestions(state).map((q) => ({ id: q.question_id, value: q }));
  keyed(
    els.questionList,
    "questionId",
    items,
    (q) => {
      const li = el("li", { "data-question-id": q.question_id, class: "question" });
      const votes = el("span", { class: "question-votes" });
      const body = el("p", { class: "question-body" }, votes, " ", el("span", { text: q.body }));
      const meta = el("p", { class: "muted question-meta" });
      const answer = el("p", { class: "question-answer" });
      const upvote = el("button", { type: "button", class: "secondary question-upvote", text: "Upvote" });
      upvote.setAttribute("aria-label", `Upvote: ${q.body}`);
      upvote.addEventListener("click", () => {
        act("question.vote", { question_id: q.question_id }, els.questionError).then((ok) => {
          if (!ok) return;
          const known = state.questions.find((item) => item.question_id === q.question_id);
          if (known) known.voted = true;
          ctx.render();
        });
      });
      const actions = el("p", { class: "question-actions" }, upvote);
      li.append(body, meta, answer, actions);
      if (host) {
        const id = `answer-${q.question_id}`;
        const input = el("input", { type: "text", id, class: "question-answer-input", maxLength: 2000 });
        const mark = el("button", { type: "button", text: "Mark answered" });
        const live = el("button", { type: "button", class: "secondary", text: "Answered live" });
        const dismiss = el("button", { type: "button", class: "secondary", text: "Dismiss" });
        mark.addEventListener("click", () =>
          act("question.answer", { question_id: q.question_id, answer: input.value }, els.questionError),
        );
        live.addEventListener("click", () =>
          act("question.answer", { question_id: q.question_id, live: true }, els.questionError),
        );
        dismiss.addEventListener("click", () =>
          act("question.dismiss", { question_id: q.question_id }, els.questionError),
        );
        li.append(
          el("p", { class: "question-host" }, el("label", { for: id, text: "Answer" }), " ", input, " ", mark, " ", live, " ", dismiss),
        );
      }
      return li;
    },
    (li, q) => {
      li.querySelector(".question-votes").textContent = `${q.votes} vote${q.votes === 1 ? "" : "s"}`;
      const who = q.author ? q.author.name : "Anonymous";
      li.querySelector(".question-meta").textContent = `${who}${q.anonymous && q.author ? " (anonymous to others)" : ""} · ${statusLabel(q.status)}`;
      li.dataset.status = q.status;
      const answer = li.querySelector(".question-answer");
      answer.textContent = q.answer ? `Answer: ${q.answer}` : "";
      answer.hidden = !q.answer;
      const upvote = li.querySelector(".question-upvote");
      upvote.disabled = Boolean(q.voted || q.mine || state.closed);
      upvote.textContent = q.voted ? "Upvoted" : "Upvote";
      const hostRow = li.querySelector(".question-host");
      if (hostRow) hostRow.hidden = q.status !== "open";
    },
  );
}

function tallies(poll) {
  const votes = new Map((poll.results || []).map((r) => [r.option_id, r.votes]));
  return poll.options.map((option) => {
    const count = votes.get(option.option_id) || 0;
    const percent = poll.voters ? Math.round((100 * count) / poll.voters) : 0;
    return { option, count, percent };
  });
}

export function renderPolls(ctx) {
  const { state, els, act } = ctx;
  const host = Boolean(state.me && state.me.is_host);
  const visible = state.polls.filter((p) => p.status !== "prepared");
  const items = [...visible].reverse().map((p) => ({ id: p.poll_id, value: p }));
  const empty = els.pollList.querySelector(":scope > p.muted");
  if (empty) empty.remove();
  keyed(
    els.pollList,
    "pollId",
    items,
    (p) => {
      const card = el("div", { class: "card poll", "data-poll-id": p.poll_id });
      const form = el("form", { class: "poll-form" });
      const fieldset = el("fieldset", {}, el("legend", { text: p.prompt }));
      for (const option of p.options) {
        const id = `poll-${p.poll_id}-option-${option.option_id}`;
        fieldset.append(
          el(
            "label",
            { class: "check", for: id },
            el("input", {
              type: p.multiple ? "checkbox" : "radio",
              name: `poll-${p.poll_id}`,
              id,
              value: String(option.option_id),
            }),
            ` ${option.text}`,
          ),
        );
      }
      fieldset.append(el("button", { type: "submit", text: "Vote" }));
      form.append(fieldset);
      form.addEventListener("change", () => {
        form.dataset.touched = "1";
      });
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const option_ids = [...form.querySelectorAll("input:checked")].map((i) => Number(i.value));
        act("poll.vote", { poll_id: p.poll_id, option_ids }, els.pollError).then((ok) => {
          const known = state.polls.find((item) => item.poll_id === p.poll_id);
          if (ok && known) {
            known.my_vote = option_ids;
            ctx.render();
          }
        });
      });
      card.append(
        el("h3", { text: p.prompt }),
        el("p", { class: "muted poll-meta" }),
        form,
        el("ul", { class: "poll-results", "aria-label": `Results: ${p.prompt}` }),
      );
      if (host) {
        const close = el("button", { type: "button", class: "secondary poll-close", text: "Close poll" });
        close.addEventListener("click", () => act("poll.close", { poll_id: p.poll_id }, els.pollError));
        card.append(el("p", {}, close));
      }
      return card;
    },
    (card, p) => {
      card.dataset.status = p.status;
      const kind = [p.multiple ? "several choices" : "one choice", p.anonymous ? "anonymous" : "", p.quiz ? "quiz" : ""];
      card.querySelector(".poll-meta").textContent =
        `${p.status === "open" ? "Open" : "Closed"} · ${p.voters} voter${p.voters === 1 ? "" : "s"} · ${kind.filter(Boolean).join(", ")}`;
      const form = card.querySelector(".poll-form");
      form.hidden = p.status !== "open";
      const mine = new Set(p.my_vote || []);
      for (const input of form.querySelectorAll("input")) {
        if (!form.dataset.touched && mine.size) input.checked = mine.has(Number(input.value));
      }
      form.querySelector("button").textContent = mine.size ? "Change my vote" : "Vote";
      const correct = new Set(p.correct_option_ids || []);
      const revealed = p.status === "closed" && correct.size > 0;
      card.querySelector(".poll-results").replaceChildren(
        ...tallies(p).map(({ option, count, percent }) =>
          el(
            "li",
            { "data-option-id": option.option_id },
            el("span", { class: "poll-option", text: option.text }),
            revealed && correct.has(option.option_id) ? el("span", { class: "state completed", text: " Correct" }) : null,
            el("span", { class: "poll-count", text: `: ${count} (${percent} %)` }),
            " ",
            el("progress", { max: 100, value: percent, "aria-label": `${option.text}: ${percent} %` }),
          ),
        ),
      );
      const close = card.querySelector(".poll-close");
      if (close) close.hidden = p.status !== "open";
    },
  );
  if (!visible.length && !els.pollList.children.length) els.pollList.append(el("p", { class: "muted", text: "No poll yet." }));
}

export function renderHands(ctx) {
  const { state, els } = ctx;
  if (!state.me) return;
  const position = state.hands.findIndex((h) => h.person.user_id === state.me.user_id);
  const raised = position !== -1;
  els.handToggle.querySelector(".control-label").textContent = raised ? "Lower hand" : "Raise hand";
  els.handToggle.setAttribute("aria-pressed", String(raised));
  els.handToggle.disabled = state.closed;
  els.handStatus.textContent = raised
    ? `Your hand is raised (number ${position + 1} in the queue).`
    : "";
  const called = state.called;
  els.calledNotice.hidden = !called;
  if (called) {
    els.calledNotice.textContent =
      called.person.user_id === state.me.user_id
        ? `${called.by.name} calls on you: it is your turn to speak.`
        : `${called.by.name} calls on ${called.person.name}.`;
  }
}

export function secondsLeft(iso) {
  if (!iso) return null;
  return Math.max(0, Math.round((new Date(iso).getTime() - Date.now()) / 1000));
}

export function formatSeconds(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

export function renderBreakout(ctx) {
  const { state, els } = ctx;
  if (!state.me) return;
  const room = state.breakouts.rooms.find((r) => r.breakout_id === state.me.breakout_id);
  els.breakoutPanel.hidden = !room;
  if (!room) return;
  els.breakoutHeading.textContent = `Your breakout room: ${room.name}`;
  const others = room.members.filter((m) => m.user_id !== state.me.user_id).map((m) => m.name);
  els.breakoutPanel.dataset.breakoutId = String(room.breakout_id);
  const left = secondsLeft(state.breakouts.ends_at);
  els.breakoutCountdown.textContent = [
    others.length ? `With ${others.join(", ")}.` : "You are alone in this room.",
    left !== null ? `Back to the main room in ${formatSeconds(left)}.` : "",
  ].join(" ");
  els.breakoutMessages.replaceChildren(
    ...state.breakoutMessages.map((m) => el("li", { text: `${m.by.name} to all rooms: ${m.body}` })),
  );
}
