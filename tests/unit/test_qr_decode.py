"""app/housing/qr_decode.py: the QR code in a photo, decoded in memory."""

from __future__ import annotations

import builtins
import io
import os
import random
import tempfile

import pytest
import qrcode
from hypothesis import HealthCheck, given, settings
from PIL import Image, ImageFilter, ImageOps

from app.housing import qr_decode
from app.housing.qr_decode import MAX_BYTES, QrImageError, decode_qr_image
from tests.unit.test_cccd_qr import build_payload, cards

SAMPLE = (
    "093186002237|362499103|Nguyễn Thị Kim Thư|11011986|Nữ|56 Trần Hoàng Na, Kv6, An Khánh, Ninh Kiều, Cần Thơ"
    "|04102024||||"
)
MALE = "001090012345|123456789|Nguyễn Văn Đức|01021990|Nam|Số 12 ngõ 34 Phố Huế, Hai Bà Trưng, Hà Nội|10102021"

NOT_AN_IMAGE = "This file is not a photo that can be read. Choose a JPEG, PNG or WebP image."
NO_QR = "No QR code was found in the photo. Take it closer, in good light, with the whole code in the frame."
TOO_LARGE = "The photo is larger than 10 MB. Choose a smaller photo."
TOO_MANY_PIXELS = "The photo has too many pixels. Choose a smaller photo."
EMPTY = "The file is empty. Choose a photo of the card."


def make_qr(payload: str = SAMPLE, *, box_size: int = 4, border: int = 4) -> Image.Image:
    """A grayscale QR code of the UTF-8 payload, as the card carries it."""
    code = qrcode.QRCode(box_size=box_size, border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return code.make_image().get_image().convert("L")


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def refusal(data: bytes) -> str:
    with pytest.raises(QrImageError) as exc:
        decode_qr_image(data)
    return exc.value.text.message


# --- Decoding -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [SAMPLE, MALE])
def test_plain_png(payload):
    assert decode_qr_image(encode(make_qr(payload))) == payload


def test_jpeg():
    assert decode_qr_image(encode(make_qr().convert("RGB"), "JPEG", quality=70)) == SAMPLE


def test_webp():
    assert decode_qr_image(encode(make_qr().convert("RGB"), "WEBP", quality=80)) == SAMPLE


def test_colour_png_with_transparent_background():
    qr = make_qr()
    rgba = Image.new("RGBA", qr.size, (0, 0, 0, 0))  # transparent black: would read as a black square
    rgba.putalpha(ImageOps.invert(qr))  # opaque where the modules are dark
    assert decode_qr_image(encode(rgba)) == SAMPLE


@pytest.mark.parametrize("angle", [90, 180, 270, 17, -17, 45])
def test_rotated(angle):
    rotated = make_qr().rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    assert decode_qr_image(encode(rotated)) == SAMPLE


@pytest.mark.parametrize("radius", [1, 1.5, 2])
def test_slightly_blurred(radius):
    blurred = make_qr().filter(ImageFilter.GaussianBlur(radius))
    assert decode_qr_image(encode(blurred.convert("RGB"), "JPEG", quality=85)) == SAMPLE


def test_blur_that_needs_the_sharpened_retry():
    """At radius 2 on 4-pixel modules the first pass finds nothing; the contrast-stretched, sharpened copy does."""
    image = qr_decode._load(encode(make_qr().filter(ImageFilter.GaussianBlur(2))))
    assert qr_decode._read(image) is None
    assert qr_decode._read(qr_decode._enhance(image)) == SAMPLE


def test_low_contrast():
    faded = make_qr().point(lambda v: 135 if v > 128 else 115)
    assert decode_qr_image(encode(faded)) == SAMPLE


def test_small_code_in_a_large_noisy_photo():
    background = Image.effect_noise((2400, 1800), 40).point(lambda v: v // 2 + 64)
    background.paste(make_qr().resize((200, 200), Image.Resampling.BILINEAR), (1500, 900))
    assert decode_qr_image(encode(background.convert("RGB"), "JPEG", quality=85)) == SAMPLE


def test_large_photo_is_scaled_down_before_decoding():
    photo = Image.new("L", (6000, 4500), 200)
    photo.paste(make_qr(box_size=12), (2500, 1800))  # 684 px: 12-pixel modules become 4-pixel ones
    data = encode(photo, "JPEG", quality=80)
    assert max(qr_decode._load(data).size) <= qr_decode.MAX_SIDE
    assert decode_qr_image(data) == SAMPLE


def test_exif_orientation_is_honoured():
    """A phone stores the sensor's pixels sideways and says so in EXIF (orientation 6: rotate 90° clockwise)."""
    upright = Image.new("L", (600, 300), 255)
    upright.paste(make_qr(), (20, 36))
    upright.paste(0, (560, 0, 600, 40))  # a black mark in the top-right corner
    stored = upright.rotate(90, expand=True)  # as the sensor wrote it: 300 × 600
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(stored.convert("RGB"), "JPEG", quality=90, exif=exif)

    loaded = qr_decode._load(data)
    assert loaded.size == (600, 300)
    assert loaded.getpixel((590, 10)) < 60  # the mark is back in the top-right corner
    assert loaded.getpixel((10, 290)) > 200
    assert decode_qr_image(data) == SAMPLE


def test_inverted_colours():
    assert decode_qr_image(encode(ImageOps.invert(make_qr()))) == SAMPLE


def test_first_of_two_codes_is_returned():
    both = Image.new("L", (600, 300), 255)
    both.paste(make_qr(MALE, box_size=3), (10, 60))
    both.paste(make_qr(SAMPLE, box_size=3), (320, 60))
    assert decode_qr_image(encode(both)) in {SAMPLE, MALE}


def test_accepts_bytearray_and_memoryview():
    data = encode(make_qr())
    assert decode_qr_image(bytearray(data)) == SAMPLE
    assert decode_qr_image(memoryview(data)) == SAMPLE


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card=cards())
def test_any_card_payload_survives_the_round_trip(card):
    payload = build_payload(card, extras=["", "", "", ""])
    assert decode_qr_image(encode(make_qr(payload, box_size=3))) == payload


# --- Refusals -----------------------------------------------------------------------------------------------


def test_random_bytes():
    assert refusal(random.Random(7).randbytes(5000)) == NOT_AN_IMAGE


def test_text_file():
    assert refusal(SAMPLE.encode("utf-8")) == NOT_AN_IMAGE


def test_truncated_jpeg():
    data = encode(make_qr(box_size=8).convert("RGB"), "JPEG", quality=90)
    # Refused either way. Which message depends on Pillow's process-wide LOAD_TRUNCATED_IMAGES, which
    # WeasyPrint turns on when imported (sticker PDFs): then the half photo loads and holds no code.
    assert refusal(data[: len(data) // 2]) in (NOT_AN_IMAGE, NO_QR)


@pytest.mark.parametrize("fmt", ["TGA", "PCX", "ICO"])
def test_other_image_formats_are_not_opened(fmt):
    assert refusal(encode(make_qr().convert("RGB").resize((200, 200)), fmt)) == NOT_AN_IMAGE


def test_eps_is_not_handed_to_ghostscript():
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nshowpage\n"
    assert refusal(eps) == NOT_AN_IMAGE


def test_empty_file():
    assert refusal(b"") == EMPTY


def test_photo_without_a_qr_code():
    assert refusal(encode(Image.effect_noise((800, 600), 60).convert("RGB"), "JPEG")) == NO_QR


def test_blank_photo():
    assert refusal(encode(Image.new("RGB", (640, 480), "white"))) == NO_QR


def test_over_10_mb_is_refused_before_reading():
    assert refusal(b"\xff\xd8\xff" + bytes(MAX_BYTES)) == TOO_LARGE


def test_exactly_10_mb_is_not_refused_for_size():
    assert refusal(bytes(MAX_BYTES)) == NOT_AN_IMAGE


def test_decompression_bomb_is_refused():
    # 8,100 × 8,000 one-bit pixels: a few kilobytes of PNG, 65 megapixels once decoded.
    data = encode(Image.new("1", (8_100, 8_000), 1))
    assert len(data) < 100_000
    assert refusal(data) == TOO_MANY_PIXELS


def test_huge_jpeg_is_decoded_at_a_reduced_scale_not_refused():
    photo = Image.new("L", (10_000, 7_500), 200)  # 75 megapixels, but JPEG draft mode reads it at 1/2 or 1/4
    data = encode(photo, "JPEG", quality=50)
    assert max(qr_decode._load(data).size) <= qr_decode.MAX_SIDE


def test_error_text_is_lazy_and_translatable(in_locale):
    in_locale("en")
    with pytest.raises(QrImageError) as exc:
        decode_qr_image(b"not a photo")
    assert isinstance(exc.value, ValueError)
    assert str(exc.value.text) == NOT_AN_IMAGE


def test_nothing_is_written_to_disk(tmp_path, monkeypatch):
    """Card photos are sensitive: decoding must not open any file for writing, temporary or not."""
    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file, mode="r", *args, **kwargs):
        assert not any(flag in mode for flag in "wax+"), f"opened {file!r} for writing"
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        assert not flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT), f"opened {path!r} for writing"
        return real_os_open(path, flags, *args, **kwargs)

    def no_temporary_file(*args, **kwargs):
        raise AssertionError("a temporary file was made")

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    for name in ("mkstemp", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"):
        monkeypatch.setattr(tempfile, name, no_temporary_file)
    monkeypatch.chdir(tmp_path)
    assert decode_qr_image(encode(make_qr().convert("RGB"), "JPEG", quality=90)) == SAMPLE
    assert refusal(encode(Image.new("L", (300, 300), 128))) == NO_QR
    assert list(tmp_path.iterdir()) == []
