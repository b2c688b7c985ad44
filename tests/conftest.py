"""Suite-wide fixtures. Data is built through actions or the factories in tests/factories.py."""

from __future__ import annotations

import os

os.environ.setdefault("HUEY_IMMEDIATE", "1")
