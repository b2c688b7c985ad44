// The People tab: who is here now, with their role, raised hand and muted state (muted in
// chat by a host, microphone off), with "Mute in chat", "Mute microphone" (while it is on:
// a host may turn it off, never on) and "Remove" for hosts; and, folded
// away, the enrolled people who are not here (without moderation buttons: there is nobody
// to act on).

import { el } from "./room_render.js";

function person(ctx, { user_id: id, name }, here) {
  const { state, config, act } = ctx;
  const hostIds = new Set(config.hosts.map((h) => h.user_id));
  const isHost = hostIds.has(id);
  const me = id === config.me.user_id;
  const hand = state.hands.findIndex((h) => h.person.user_id === id);
  const chatMuted = state.muted.includes(id);
  const mic = ctx.mics.get(id);
  const notes = [isHost ? "host" : "learner"];
  if (hand !== -1) notes.push(`hand raised (${hand + 1} in the queue)`);
  if (chatMuted) notes.push("muted in chat");
  if (here && mic === false) notes.push("microphone off");
  const li = el(
    "li",
    { "data-user-id": id, class: "people-row" },
    el("span", { class: "people-name", text: `${name}${me ? " (you)" : ""}` }),
    " ",
    el("span", { class: "muted people-notes", text: notes.join(" · ") }),
  );
  if (here && config.is_host && !isHost && !me) {
    const error = document.getElementById("people-error");
    const mute = el("button", {
      type: "button",
      class: "secondary",
      text: chatMuted ? "Unmute" : "Mute",
      "aria-label": `${chatMuted ? "Unmute" : "Mute"} ${name} in chat`,
    });
    mute.addEventListener("click", () =>
      act(chatMuted ? "participant.unmute" : "participant.mute", { user_id: id }, error),
    );
    const actions = [mute, " "];
    if (mic === true) {
      const muteMic = el("button", {
        type: "button",
        class: "secondary",
        text: "Mute microphone",
        "aria-label": `Mute microphone of ${name}`,
      });
      muteMic.addEventListener("click", () => act("microphone.mute", { user_id: id }, error));
      actions.push(muteMic, " ");
    }
    const remove = el("button", {
      type: "button",
      class: "secondary",
      text: "Remove",
      "aria-label": `Remove ${name} from the session`,
    });
    remove.addEventListener("click", () => {
      if (window.confirm(`Remove ${name} from this session?`)) {
        act("participant.remove", { user_id: id }, error);
      }
    });
    li.append(el("span", { class: "people-actions" }, ...actions, remove));
  }
  return li;
}

/** Draw the tab; answers how many people are here. */
export function renderPeople(ctx) {
  const { config } = ctx;
  if (!document.getElementById("people-here")) return ctx.present; // a webinar's audience
  const here = [...ctx.here.entries()].map(([user_id, name]) => ({ user_id, name }));
  const byName = (a, b) => a.name.localeCompare(b.name);
  here.sort(byName);
  const enrolled = [...config.hosts, ...config.people];
  const away = enrolled.filter((p) => !ctx.here.has(p.user_id) && p.user_id !== config.me.user_id);
  away.sort(byName);
  const drawn = JSON.stringify([here, away, ctx.state.hands, ctx.state.muted, [...ctx.mics]]);
  if (drawn !== ctx.peopleDrawn) {
    ctx.peopleDrawn = drawn;
    document.getElementById("people-here").replaceChildren(...here.map((p) => person(ctx, p, true)));
    document.getElementById("people-away").replaceChildren(...away.map((p) => person(ctx, p, false)));
    document.getElementById("people-away-count").textContent = `(${away.length})`;
    document.getElementById("people-away-box").hidden = away.length === 0;
  }
  return Math.max(here.length, ctx.present);
}
