"""The bare Channels baseline of ``make bench-live``: one group, ``group_send`` per message."""
