// What the room tells the person about events as they arrive: words for screen readers (a
// poll opened, a new question, being called on, breakout rooms), the unread chat count, a
// microphone a host muted, and the breakout rooms' last ten seconds.

import { renderHost } from "./room_host.js";
import { renderBreakout, secondsLeft } from "./room_render.js";

/** Say ``text`` in the room's live region. */
export function announce(ctx, text) {
  const region = ctx.els.announce;
  // Emptied first, so the same words twice are announced twice.
  region.textContent = "";
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** A durable event was applied; ``before`` is this person's breakout room before it. */
export function noteEvent(ctx, frame, before) {
  const { state, config, tabs, video } = ctx;
  const me = config.me.user_id;
  if (frame.type === "live.chat.posted" && frame.author.user_id !== me && tabs.selected !== "chat") {
    ctx.unreadChat += 1;
  }
  if (frame.type === "live.chat.deleted") ctx.missedChat.forget(frame.message_id);
  if (frame.type === "live.poll.opened") announce(ctx, `A poll is open: ${frame.prompt}`);
  if (frame.type === "live.question.asked" && !(frame.author && frame.author.user_id === me)) {
    announce(ctx, `New question: ${frame.body}`);
  }
  if (frame.type === "live.hand.called" && frame.person.user_id === me) {
    announce(ctx, `${frame.by.name} calls on you: it is your turn to speak.`);
  }
  if (frame.type.startsWith("live.breakouts.") && state.me && before !== state.me.breakout_id) {
    video.regroup();
    announce(ctx, state.me.breakout_id ? "You are now in your breakout room." : "Everyone is back in the main room.");
  } else if (frame.type === "live.breakouts.started" || frame.type === "live.breakouts.closed") {
    video.regroup();
  }
  if (frame.type === "live.room.opened") announce(ctx, "The session is live.");
  if (frame.type === "live.microphone.muted" && frame.person.user_id === me) {
    ctx.controls.mutedByHost();
  }
  if (frame.type === "live.screen_sharing.changed" && !config.is_host) {
    announce(
      ctx,
      frame.allowed ? "The hosts let learners share their screen." : "The hosts stopped learners sharing their screen.",
    );
  }
}

/** Every second while breakout rooms count down: the countdowns, and ten seconds' warning. */
export function followBreakoutCountdown(ctx) {
  let announced = null;
  setInterval(() => {
    const endsAt = ctx.state.breakouts.ends_at;
    if (!endsAt) return;
    renderBreakout(ctx);
    renderHost(ctx);
    if (secondsLeft(endsAt) === 10 && announced !== endsAt) {
      announced = endsAt;
      announce(ctx, "The breakout rooms close in 10 seconds.");
    }
  }, 1000);
}
