// The host console: open and end the room, lock chat, prepared and new polls, the hand queue,
// breakout rooms (at random or by hand, countdown, message to all, recall). The people and
// their moderation are in the People tab (room_people.js).
// Every button is a room write; the server re-checks that the person is a host.

import { el, formatSeconds, secondsLeft } from "./room_render.js";

const $ = (id) => document.getElementById(id);

function numbers(text) {
  return text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((n) => Number.parseInt(n, 10))
    .filter((n) => Number.isInteger(n));
}

export function setupHost(ctx) {
  const { config, act } = ctx;
  const error = $("host-error");
  $("room-open").addEventListener("click", () => act("room.open", {}, error));
  $("room-close").addEventListener("click", () => {
    if (window.confirm("End the session for everyone? The page turns into the replay.")) {
      act("room.close", {}, error);
    }
  });
  $("chat-lock").addEventListener("click", () =>
    act(ctx.state.chatLocked ? "chat.unlock" : "chat.lock", {}, error),
  );
  const screenSharing = $("screen-sharing-allowed");
  if (screenSharing) {
    screenSharing.addEventListener("change", async () => {
      const allow = screenSharing.checked;
      if (!(await act(allow ? "screen_sharing.allow" : "screen_sharing.forbid", {}, error))) {
        screenSharing.checked = ctx.state.learnersMayShareScreen;
      }
    });
  }

  const pollForm = $("poll-form");
  pollForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const open = event.submitter ? event.submitter.value === "1" : true;
    const options = $("poll-options")
      .value.split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const correct = numbers($("poll-correct").value).map((n) => n - 1);
    act(
      "poll.create",
      {
        prompt: $("poll-prompt").value,
        options,
        multiple: $("poll-multiple").checked,
        anonymous: $("poll-anonymous").checked,
        correct,
        open,
      },
      error,
    ).then((ok) => {
      if (ok) pollForm.reset();
    });
  });

  $("hand-call-next").addEventListener("click", () => act("hand.call", {}, error));

  $("breakout-random").addEventListener("submit", (event) => {
    event.preventDefault();
    const fields = { count: Number($("breakout-count").value) };
    const minutes = Number($("breakout-minutes").value);
    if (minutes) fields.minutes = minutes;
    act("breakouts.start", fields, error);
  });

  const handCount = $("breakout-hand-count");
  const drawHandRooms = () => {
    const count = Math.max(1, Math.min(20, Number(handCount.value) || 1));
    const names = $("breakout-hand-rooms");
    const kept = [...names.querySelectorAll("input")].map((i) => i.value);
    names.replaceChildren(
      ...Array.from({ length: count }, (_, i) =>
        el(
          "p",
          {},
          el("label", { for: `breakout-name-${i}`, text: `Name of room ${i + 1}` }),
          el("input", { type: "text", id: `breakout-name-${i}`, value: kept[i] || `Room ${i + 1}`, maxLength: 100 }),
        ),
      ),
    );
    const people = $("breakout-hand-people");
    const chosen = new Map(
      [...people.querySelectorAll("select")].map((s) => [s.dataset.userId, s.value]),
    );
    people.replaceChildren(
      ...config.people.map((person) => {
        const id = `breakout-person-${person.user_id}`;
        const select = el(
          "select",
          { id, "data-user-id": person.user_id },
          el("option", { value: "", text: "Main room" }),
          ...Array.from({ length: count }, (_, i) => el("option", { value: String(i), text: `Room ${i + 1}` })),
        );
        select.value = chosen.get(String(person.user_id)) || "";
        return el("p", {}, el("label", { for: id, text: person.name }), " ", select);
      }),
    );
  };
  handCount.addEventListener("change", drawHandRooms);
  drawHandRooms();
  $("breakout-hand").addEventListener("submit", (event) => {
    event.preventDefault();
    const rooms = [...$("breakout-hand-rooms").querySelectorAll("input")].map((input) => ({
      name: input.value,
      members: [],
    }));
    for (const select of $("breakout-hand-people").querySelectorAll("select")) {
      if (select.value !== "") rooms[Number(select.value)].members.push(Number(select.dataset.userId));
    }
    const fields = { rooms };
    const minutes = Number($("breakout-hand-minutes").value);
    if (minutes) fields.minutes = minutes;
    act("breakouts.start", fields, error);
  });
  $("breakout-message").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = $("breakout-message-body");
    act("breakouts.message", { body: body.value }, error).then((ok) => {
      if (ok) body.value = "";
    });
  });
  $("breakout-countdown-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act("breakouts.countdown", { seconds: Number($("breakout-countdown-seconds").value) }, error);
  });
  $("breakout-recall").addEventListener("click", () => act("breakouts.close", {}, error));
}

export function renderHost(ctx) {
  const { state, act } = ctx;
  if (!state.me || !state.me.is_host) return;
  const error = $("host-error");
  $("room-open").hidden = state.opened && !state.closed;
  $("room-close").hidden = !state.opened || state.closed;
  $("chat-lock").textContent = state.chatLocked ? "Unlock chat" : "Lock chat";
  $("chat-lock").setAttribute("aria-pressed", String(state.chatLocked));
  if ($("screen-sharing-allowed")) $("screen-sharing-allowed").checked = state.learnersMayShareScreen;
  $("host-present").textContent = String(ctx.present);

  const prepared = state.polls.filter((p) => p.status === "prepared");
  $("prepared-polls").replaceChildren(
    ...(prepared.length
      ? prepared.map((p) => {
          const open = el("button", { type: "button", text: "Open", "aria-label": `Open poll: ${p.prompt}` });
          open.addEventListener("click", () => act("poll.open", { poll_id: p.poll_id }, error));
          return el("li", { "data-poll-id": p.poll_id }, el("span", { text: `${p.prompt} ` }), open);
        })
      : [el("li", { class: "muted", text: "None prepared." })]),
  );

  $("hand-call-next").disabled = state.hands.length === 0;
  $("hand-queue").replaceChildren(
    ...state.hands.map((hand) => {
      const call = el("button", { type: "button", text: "Call", "aria-label": `Call on ${hand.person.name}` });
      call.addEventListener("click", () => act("hand.call", { hand_id: hand.hand_id }, error));
      const lower = el("button", { type: "button", class: "secondary", text: "Lower", "aria-label": `Lower the hand of ${hand.person.name}` });
      lower.addEventListener("click", () => act("hand.lower", { user_id: hand.person.user_id }, error));
      return el("li", { "data-hand-id": hand.hand_id }, el("span", { text: `${hand.person.name} ` }), call, " ", lower);
    }),
  );

  const running = state.breakouts.rooms.length > 0;
  $("breakouts-idle").hidden = running;
  $("breakouts-running").hidden = !running;
  $("breakout-rooms").replaceChildren(
    ...state.breakouts.rooms.map((room) =>
      el("li", { "data-breakout-id": room.breakout_id, text: `${room.name}: ${room.members.map((m) => m.name).join(", ") || "nobody"}` }),
    ),
  );
  const left = secondsLeft(state.breakouts.ends_at);
  $("breakout-host-countdown").textContent = left !== null && running ? `Rooms close in ${formatSeconds(left)}.` : "";
}
