"""Small previews of images, made on the server with Pillow, so a page never
inlines the original. Pillow's decompression-bomb guard stays on and is strict:
an image of more than MAX_PIXELS gets no preview (it is still attached)."""

from __future__ import annotations

import io
import logging
import warnings

from django.core.files.base import ContentFile
from PIL import Image

logger = logging.getLogger("huddle.attachments")

SIZE = (320, 320)
MAX_PIXELS = 40_000_000


def make(path: str) -> ContentFile[bytes] | None:
    """A JPEG preview of the image at `path`, or None when it cannot be made."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.thumbnail(SIZE)
                preview = image.convert("RGB")
        out = io.BytesIO()
        preview.save(out, format="JPEG", quality=80)
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        logger.info("attachment preview: not made")
        return None
    return ContentFile(out.getvalue())
