"""The in-page camera scanner for the CCCD's QR: Chromium's camera films a video of a card's QR code (a file made
here), the scanner reads it and the confirm form comes back filled in, on the landlord's page and the resident's."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import qrcode
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_housing import RENTER_QR, RESIDENT_QR, register_house, sign_in

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 640, 480


def y4m_video(path: Path, qr_text: str | None, frames: int = 5) -> Path:
    """A camera's view as YUV4MPEG2 (4:2:0): grey frames from the picture of a QR code on white, or white alone.
    Grey is enough: Y is the picture, and U = V = 128 means no colour."""
    picture = Image.new("L", (WIDTH, HEIGHT), 255)
    if qr_text is not None:
        code = qrcode.make(qr_text).get_image().convert("L")
        side = HEIGHT - 40
        picture.paste(code.resize((side, side), Image.NEAREST), ((WIDTH - side) // 2, 20))
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    frame = b"FRAME\n" + picture.tobytes() + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * frames)
    return path


def renter_page(landlord, world) -> str:
    """Sign in as the landlord, register a house, open its "Register a renter" page; the sticker's path."""
    sign_in(landlord, world.a.landlord)
    expect(landlord).to_have_url(re.compile(r"/w/ward-a/landlord/$"))
    register_house(landlord)
    sticker_path = urlsplit(landlord.locator("#sticker a", has_text="/q/").inner_text()).path
    landlord.get_by_role("link", name="Register a renter").click()
    expect(landlord.locator("h1")).to_have_text("Register a renter")
    return sticker_path


def test_the_camera_reads_the_cards_qr_into_the_confirm_form(world, camera_page, tmp_path):
    landlord = camera_page(y4m_video(tmp_path / "renter.y4m", RENTER_QR), lang="en")
    sticker_path = renter_page(landlord, world)
    expect(landlord.locator("#f-full_name")).to_have_value("")
    with landlord.expect_request(lambda r: r.method == "POST" and r.url.endswith("/renters/scan")) as sent:
        landlord.get_by_role("button", name="Scan with the camera").click()
    assert "qr_text=001095012345" in sent.value.post_data  # the QR's text, read by the server as if typed
    expect(landlord.locator("#f-full_name")).to_have_value("Nguyễn Văn An")
    expect(landlord.locator("#f-id_number")).to_have_value("001095012345")
    expect(landlord.locator("#f-birth_date")).to_have_value("15/08/1995")
    expect(landlord.locator("#f-gender")).to_have_value("male")
    expect(landlord.locator("#f-permanent_address")).to_have_value("Số 1 Phố Huế, Hà Nội")
    expect(landlord.locator("video")).to_be_hidden()

    # The resident's own request, from the sticker, has the same camera.
    resident = camera_page(y4m_video(tmp_path / "resident.y4m", RESIDENT_QR), lang="en")
    resident.goto(sticker_path + "/register")
    expect(resident.locator("h1")).to_have_text("Ask to be registered here")
    resident.get_by_role("button", name="Scan with the camera").click()
    expect(resident.locator("#f-full_name")).to_have_value("Trần Thị Bích")
    expect(resident.locator("#f-id_number")).to_have_value("079198001234")
    expect(resident.locator("#f-gender")).to_have_value("female")
    assert resident.evaluate("document.documentElement.scrollWidth") <= 360


def test_cancel_turns_the_camera_off(world, camera_page, tmp_path):
    landlord = camera_page(y4m_video(tmp_path / "blank.y4m", None), lang="en")
    renter_page(landlord, world)
    assert landlord.evaluate("typeof window.jsQR") == "undefined"  # the decoder is fetched only to scan
    landlord.get_by_role("button", name="Scan with the camera").click()
    video = landlord.locator("video")
    expect(video).to_be_visible()
    landlord.wait_for_function("document.querySelector('video').readyState >= 2")  # the camera films
    assert landlord.evaluate("typeof window.jsQR") == "function"  # no BarcodeDetector in this Chromium
    landlord.screenshot(path="/tmp/e2e-scanner.png", full_page=True)
    box = video.bounding_box()
    assert box is not None and box["width"] <= 360  # the picture fits the phone's screen
    landlord.evaluate("window.__stream = document.querySelector('video').srcObject")
    assert landlord.evaluate("window.__stream.getVideoTracks()[0].readyState") == "live"
    expect(landlord.get_by_role("button", name="Scan with the camera")).to_be_disabled()

    landlord.get_by_role("button", name="Cancel").click()
    expect(video).to_be_hidden()
    assert landlord.evaluate("window.__stream.getTracks().every(t => t.readyState === 'ended')")
    expect(landlord.get_by_role("button", name="Scan with the camera")).to_be_enabled()
    expect(landlord.locator("#f-full_name")).to_have_value("")  # nothing was read, nothing sent


def test_no_camera_or_a_refusal_is_explained(world, new_page):
    landlord = new_page(lang="en")  # the shared Chromium has no camera at all
    renter_page(landlord, world)
    landlord.get_by_role("button", name="Scan with the camera").click()
    expect(landlord.get_by_role("alert")).to_have_text(
        "No camera was found. Take or choose a photo of the QR below, or paste its text."
    )
    expect(landlord.locator("video")).to_be_hidden()
    expect(landlord.get_by_role("button", name="Scan with the camera")).to_be_enabled()

    # A person who refuses the camera: the browser rejects the request as NotAllowedError.
    landlord.evaluate(
        "() => { navigator.mediaDevices.getUserMedia = async () => { throw new DOMException('', 'NotAllowedError') } }"
    )
    landlord.get_by_role("button", name="Scan with the camera").click()
    expect(landlord.get_by_role("alert")).to_have_text(
        "The camera is not allowed. Allow it in the browser settings, or take a photo of the QR below."
    )


def test_without_javascript_there_is_no_camera_button_and_the_photo_still_works(world, new_page):
    landlord = new_page(lang="en", java_script_enabled=False)
    renter_page(landlord, world)
    expect(landlord.get_by_role("button", name="Scan with the camera")).to_be_hidden()
    expect(landlord.locator("#f-photo")).to_be_visible()
    expect(landlord.get_by_role("button", name="Read the text")).to_be_visible()
