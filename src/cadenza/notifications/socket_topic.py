"""The bell on the person's socket (``cadenza.realtime.personal``): its hello frame is the
unread count, counted now."""

from __future__ import annotations

from cadenza.notifications.events import UnreadCount
from cadenza.notifications.selectors import unread_count


class BellTopic:
    name = "notifications"

    def greeting(self, user_id: int) -> list[str]:
        return [UnreadCount(count=unread_count(user_id)).encode()]
