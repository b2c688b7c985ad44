// The room's state in the browser: a snapshot, then durable events applied in order of their
// numbers (an event at or below the last number seen is a duplicate and changes nothing).
// Plain data only, so it can be kept in sessionStorage and a reloaded tab resumes from it.

export function emptyState() {
  return {
    seq: 0,
    session: null,
    me: null,
    chat: [],
    questions: [],
    polls: [],
    hands: [],
    breakouts: { rooms: [], ends_at: null },
    breakoutMessages: [],
    breakoutNames: {},
    muted: [],
    chatLocked: false,
    learnersMayShareScreen: false,
    opened: false,
    closed: false,
    removed: false,
    called: null,
  };
}

export function applySnapshot(state, snap) {
  state.seq = snap.seq;
  state.session = snap.session;
  state.me = snap.me;
  state.chat = snap.chat;
  state.questions = snap.questions;
  state.polls = snap.polls;
  state.hands = snap.hands;
  state.breakouts = snap.breakouts || { rooms: [], ends_at: null };
  for (const room of state.breakouts.rooms) state.breakoutNames[room.breakout_id] = room.name;
  state.breakoutMessages = [];
  state.muted = snap.muted;
  state.chatLocked = snap.session.chat_locked;
  state.learnersMayShareScreen = Boolean(snap.session.learners_may_share_screen);
  state.opened = Boolean(snap.session.opened_at);
  state.closed = Boolean(snap.session.closed_at);
  if (state.me && state.muted.includes(state.me.user_id)) state.me.muted = true;
}

function without(list, key, id) {
  return list.filter((item) => item[key] !== id);
}

function upsert(list, key, item) {
  const index = list.findIndex((old) => old[key] === item[key]);
  if (index === -1) list.push(item);
  else list[index] = { ...list[index], ...item };
}

function myBreakout(state, rooms) {
  const me = state.me ? state.me.user_id : null;
  const mine = rooms.find((room) => room.members.some((m) => m.user_id === me));
  return mine ? mine.breakout_id : null;
}

/** Apply one durable event; returns false for a duplicate (already applied). */
export function applyEvent(state, frame) {
  if (typeof frame.seq !== "number" || frame.seq <= state.seq) return false;
  state.seq = frame.seq;
  const me = state.me ? state.me.user_id : null;
  switch (frame.type) {
    case "live.chat.posted":
      if (!state.chat.some((m) => m.message_id === frame.message_id)) {
        const { type, seq, ...message } = frame;
        state.chat.push(message);
      }
      break;
    case "live.chat.deleted":
      state.chat = without(state.chat, "message_id", frame.message_id);
      break;
    case "live.chat.locked":
      state.chatLocked = true;
      break;
    case "live.chat.unlocked":
      state.chatLocked = false;
      break;
    case "live.screen_sharing.changed":
      state.learnersMayShareScreen = frame.allowed;
      break;
    case "live.question.asked": {
      const { type, seq, ...question } = frame;
      upsert(state.questions, "question_id", {
        status: "open",
        answer: "",
        voted: false,
        mine: Boolean(question.author && question.author.user_id === me),
        ...question,
      });
      break;
    }
    case "live.question.voted":
      upsert(state.questions, "question_id", { question_id: frame.question_id, votes: frame.votes });
      break;
    case "live.question.answered":
      upsert(state.questions, "question_id", {
        question_id: frame.question_id,
        status: frame.status,
        answer: frame.answer,
      });
      break;
    case "live.question.dismissed":
      state.questions = without(state.questions, "question_id", frame.question_id);
      break;
    case "live.poll.prepared": {
      const { type, seq, ...poll } = frame;
      upsert(state.polls, "poll_id", {
        status: "prepared",
        results: [],
        voters: 0,
        my_vote: [],
        ...poll,
      });
      break;
    }
    case "live.poll.removed":
      state.polls = without(state.polls, "poll_id", frame.poll_id);
      break;
    case "live.poll.opened": {
      const { type, seq, ...poll } = frame;
      const known = state.polls.find((p) => p.poll_id === poll.poll_id);
      upsert(state.polls, "poll_id", {
        my_vote: [],
        correct_option_ids: known ? known.correct_option_ids || [] : [],
        ...poll,
        status: "open",
      });
      break;
    }
    case "live.poll.voted":
      upsert(state.polls, "poll_id", {
        poll_id: frame.poll_id,
        results: frame.results,
        voters: frame.voters,
      });
      break;
    case "live.poll.closed":
      upsert(state.polls, "poll_id", {
        poll_id: frame.poll_id,
        results: frame.results,
        voters: frame.voters,
        correct_option_ids: frame.correct_option_ids,
        status: "closed",
      });
      break;
    case "live.hand.raised":
      if (!state.hands.some((h) => h.hand_id === frame.hand_id)) {
        state.hands.push({ hand_id: frame.hand_id, person: frame.person, at: frame.at });
      }
      break;
    case "live.hand.lowered":
      state.hands = without(state.hands, "hand_id", frame.hand_id);
      break;
    case "live.hand.called":
      state.hands = without(state.hands, "hand_id", frame.hand_id);
      state.called = { person: frame.person, by: frame.by };
      break;
    case "live.breakouts.started":
      state.breakouts = { rooms: frame.rooms, ends_at: frame.ends_at };
      for (const room of frame.rooms) state.breakoutNames[room.breakout_id] = room.name;
      state.breakoutMessages = [];
      if (state.me) state.me.breakout_id = myBreakout(state, frame.rooms);
      break;
    case "live.breakouts.closed":
      state.breakouts = { rooms: [], ends_at: null };
      state.breakoutMessages = [];
      if (state.me) {
        state.me.breakout_id = null;
        if (!state.me.is_host) state.chat = state.chat.filter((m) => m.breakout_id == null);
      }
      break;
    case "live.breakouts.message":
      state.breakoutMessages.push({ body: frame.body, by: frame.by });
      break;
    case "live.breakouts.countdown":
      state.breakouts = { ...state.breakouts, ends_at: frame.ends_at };
      break;
    case "live.participant.muted":
      if (!state.muted.includes(frame.person.user_id)) state.muted.push(frame.person.user_id);
      if (frame.person.user_id === me) state.me.muted = true;
      break;
    case "live.participant.unmuted":
      state.muted = state.muted.filter((id) => id !== frame.person.user_id);
      if (frame.person.user_id === me) state.me.muted = false;
      break;
    case "live.participant.removed":
      if (frame.person.user_id === me) state.removed = true;
      break;
    case "live.room.opened":
      state.opened = true;
      state.closed = false;
      break;
    case "live.room.closed":
      state.closed = true;
      break;
    default:
      break;
  }
  return true;
}

/** Questions in the order the room shows them: most votes first, then oldest first. */
export function orderedQuestions(state) {
  return [...state.questions].sort(
    (a, b) => b.votes - a.votes || a.question_id - b.question_id,
  );
}

export function storageKey(config) {
  return `cadenza-room:${config.session_id}:${config.me.user_id}`;
}

export function loadState(config) {
  try {
    const raw = sessionStorage.getItem(storageKey(config));
    if (!raw) return null;
    const state = JSON.parse(raw);
    return typeof state.seq === "number" && state.me ? state : null;
  } catch {
    return null;
  }
}

export function saveState(config, state) {
  try {
    sessionStorage.setItem(storageKey(config), JSON.stringify(state));
  } catch {
    // storage full or disabled: a reload then starts from a snapshot
  }
}
