"""Decoding the QR code in a photo (of a CCCD card, usually) uploaded from a phone without a camera API.

Card photos are sensitive personal data: the bytes are decoded in memory and never written to disk, and
nothing here logs or keeps them. Pillow reads the photo (JPEG, PNG, WebP, ...), the EXIF orientation is applied,
the picture is made grayscale and scaled down to at most MAX_SIDE pixels, and zxing-cpp looks for a QR code;
when none is found it tries once more on a contrast-stretched, sharpened copy.
"""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from app.i18n import LazyText, _l

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2000  # long side after scaling down: plenty for a card's QR, and keeps decoding fast
# What phones and browsers upload. Anything else is refused unread: Pillow would hand EPS to Ghostscript, for one.
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")  # JPEG includes MPO, from some cameras
MAX_PIXELS = 64_000_000  # as decoded (a JPEG is first decoded at a reduced scale); more is a decompression bomb


class QrImageError(ValueError):
    def __init__(self, message: LazyText) -> None:
        super().__init__(message.message)
        self.text = message


def decode_qr_image(data: bytes) -> str:
    """Return the text of the first QR code in the photo, or raise QrImageError saying what went wrong."""
    if not data:
        raise QrImageError(_l("The file is empty. Choose a photo of the card."))
    if len(data) > MAX_BYTES:
        raise QrImageError(_l("The photo is larger than 10 MB. Choose a smaller photo."))
    image = _load(bytes(data))
    text = _read(image)
    if text is None:
        text = _read(_enhance(image))
    if text is None:
        raise QrImageError(
            _l("No QR code was found in the photo. Take it closer, in good light, with the whole code in the frame.")
        )
    return text


def _load(data: bytes) -> Image.Image:
    """The photo upright, grayscale, at most MAX_SIDE pixels on its long side."""
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
            opened.draft("L", (MAX_SIDE, MAX_SIDE))  # JPEG only: decode directly at 1/2, 1/4 or 1/8 scale
            if opened.width * opened.height > MAX_PIXELS:
                raise QrImageError(_l("The photo has too many pixels. Choose a smaller photo."))
            image = ImageOps.exif_transpose(opened)
            image = _flatten(image)
    except QrImageError:
        raise
    except Image.DecompressionBombError:
        raise QrImageError(_l("The photo has too many pixels. Choose a smaller photo.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
        # Pillow's plugins raise a variety of exceptions on truncated or malformed files.
        raise QrImageError(_l("This file is not a photo that can be read. Choose a JPEG, PNG or WebP image.")) from None
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Grayscale; a transparent background becomes white, not black."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(background, rgba)
    return image.convert("L")


def _enhance(image: Image.Image) -> Image.Image:
    stretched = ImageOps.autocontrast(image, cutoff=2)
    return stretched.filter(ImageFilter.UnsharpMask(radius=2, percent=150, threshold=3))


def _read(image: Image.Image) -> str | None:
    barcodes = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=True, try_downscale=True, try_invert=True
    )
    for barcode in barcodes:
        if barcode.valid and barcode.text:
            return barcode.text
    return None
