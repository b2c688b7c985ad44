"""Where learners' files live: under ``CADENZA_SUBMISSIONS_DIR`` (the data directory by
default), outside the web root, by a random name per file (decision 0018).

A web server never serves this folder; a file leaves it only through the assignment's download
view, as an attachment with ``nosniff``, to its learner and the course's graders.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile


def _path(org_id: int, storage_name: str) -> Path:
    if "/" in storage_name or "\\" in storage_name or storage_name.startswith("."):
        raise ValueError(f"not a stored file's name: {storage_name!r}")
    return Path(settings.CADENZA_SUBMISSIONS_DIR) / str(org_id) / storage_name


def write_file(*, org_id: int, storage_name: str, upload: UploadedFile[bytes]) -> None:
    """Write ``upload`` as a new file (never over an existing one), readable only by us."""
    path = _path(org_id, storage_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)


def open_file(*, org_id: int, storage_name: str) -> BinaryIO:
    """The stored file for reading; ``FileNotFoundError`` if it is gone."""
    return _path(org_id, storage_name).open("rb")
