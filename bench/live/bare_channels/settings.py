"""Settings of the bare Channels room: no database, no apps, the Redis pub/sub channel layer.

``RedisPubSubChannelLayer`` is stock Channels at its best for a big group (DESIGN section 4:
the default ``RedisChannelLayer`` silently drops deliveries past its per-member capacity).
"""

from __future__ import annotations

import os

SECRET_KEY = "bench-only"  # noqa: S105 - no sessions, no data
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["channels"]
DATABASES: dict[str, object] = {}
USE_TZ = True
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")]},
    }
}
