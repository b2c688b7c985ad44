"""The live room: its protocol (events and commands), writes, reads, socket and transport
registration. Imports no other part of ``cadenza.live`` (see the app's README)."""
