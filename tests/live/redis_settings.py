"""The project's Redis configuration as ``settings.py`` makes it when ``REDIS_URL`` is set.

Tests of the real configuration (the channel layer's class and pool, huey's pool) read it
this way: the suite itself runs with ``REDIS_URL`` unset.
"""

from __future__ import annotations

import importlib.util
import os
from types import ModuleType
from typing import Any
from unittest import mock

from django.utils.module_loading import import_string

import cadenza.config.settings as project_settings


def settings_with_redis(url: str) -> ModuleType:
    """A fresh copy of the settings module, evaluated with ``REDIS_URL=url``."""
    spec = importlib.util.spec_from_file_location("redis_settings_probe", project_settings.__file__)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, {"REDIS_URL": url}):
        spec.loader.exec_module(module)
    return module


def channel_layer_for(url: str, **config: Any) -> Any:
    """The channel layer the project configures for Redis at ``url`` (``config`` overrides)."""
    layer = settings_with_redis(url).CHANNEL_LAYERS["default"]
    return import_string(layer["BACKEND"])(**{**layer["CONFIG"], **config})
