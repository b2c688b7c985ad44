"""The rule for an organization's logo upload: small, and really a PNG, JPEG or WebP image."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 4096
_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def check_logo(upload: File[bytes]) -> str:
    """Return the file extension matching the image's real format (its name and declared
    content type are not trusted); raise ``ValidationError`` for anything else."""
    if upload.size is None or upload.size > MAX_LOGO_BYTES:
        raise ValidationError("The logo is too large: the limit is 1 MB.", code="too_large")
    position = upload.tell() if not upload.closed else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format or ""
            width, height = image.size
            image.verify()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise ValidationError(
            "The logo must be a PNG, JPEG or WebP image.", code="wrong_type"
        ) from error
    finally:
        upload.seek(position)
    if max(width, height) > MAX_LOGO_SIDE:
        raise ValidationError(
            f"The logo is too large: at most {MAX_LOGO_SIDE} pixels on each side.",
            code="too_large",
        )
    if image_format not in _EXTENSIONS:
        raise ValidationError("The logo must be a PNG, JPEG or WebP image.", code="wrong_type")
    return _EXTENSIONS[image_format]
