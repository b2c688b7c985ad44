"""Presence, attendance and the replay of a past session (watching it counts as attending).
Imports no other part of ``cadenza.live`` (see the app's README)."""
