"""What every part of a live session shares: access to a session and who is who in it, the one
admission rule, the session's stage, the hooks the parts call each other by, and the built-in
video's signalling messages (see the app's README)."""
