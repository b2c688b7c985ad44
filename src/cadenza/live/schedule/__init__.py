"""Scheduling live sessions: one-off sessions and weekly series, reminders, calendar feeds,
and their pages. Imports no other part of ``cadenza.live`` (see the app's README)."""
