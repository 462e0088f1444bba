"""A landlord registers a house and its rooms, checks a renter in from a photo of the CCCD's QR and downloads the
sticker; a resident scans the sticker, asks to be registered, and the landlord accepts."""

import io
import re
from urllib.parse import urlsplit

import pytest
import qrcode
from playwright.sync_api import expect

from app.housing.tables import Renter, SelfRegistration, Stay
from tests.helpers import PASSWORD, seen

pytestmark = pytest.mark.e2e

HOUSE = "Nhà trọ Hoa Sữa"
# The QR on the front of a chip CCCD: ID|old CMND|name|birth ddmmyyyy|gender|permanent address|issue ddmmyyyy.
RENTER_QR = "001095012345|012345678|Nguyễn Văn An|15081995|Nam|Số 1 Phố Huế, Hà Nội|01012021"
RESIDENT_QR = "079198001234||Trần Thị Bích|20051998|Nữ|12 Lê Lợi, Quận 1, TP Hồ Chí Minh|10032022"


def qr_png(text: str) -> bytes:
    """A photo of a QR code, as a phone would upload it."""
    buffer = io.BytesIO()
    qrcode.make(text).save(buffer, format="PNG")
    return buffer.getvalue()


def sign_in(page, phone):
    page.goto("/login")
    page.locator("#f-phone").fill(phone)
    page.locator("#f-password").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()


def register_house(landlord, *, rooms="101-102", max_occupancy="3") -> int:
    """From the landlord's home: a new house with rooms; the landlord is left on the house's page."""
    landlord.goto("/w/ward-a/landlord/")
    landlord.get_by_role("link", name="Register a house").click()
    landlord.locator("#f-name").fill(HOUSE)
    landlord.locator("#f-street_address").fill("Số 12, ngõ 34 Phương Canh")
    landlord.get_by_role("button", name="Register the house").click()
    expect(landlord).to_have_url(re.compile(r"/w/ward-a/landlord/properties/\d+$"))
    expect(landlord.locator("h1")).to_have_text(HOUSE)
    landlord.locator("#f-codes").fill(rooms)
    landlord.locator("#f-max_occupancy").fill(max_occupancy)
    landlord.locator("#rooms").get_by_role("button", name="Add", exact=True).click()
    expect(landlord.locator("#rooms").get_by_role("status")).to_have_text("2 rooms added.")
    return int(re.search(r"/properties/(\d+)", landlord.url)[1])


def test_landlord_checks_in_from_a_photo_and_accepts_a_resident_who_scanned_the_sticker(world, new_page, db, tmp_path):
    landlord = new_page(lang="en")
    sign_in(landlord, world.a.landlord)
    expect(landlord).to_have_url(re.compile(r"/w/ward-a/landlord/$"))
    property_id = register_house(landlord)
    expect(landlord.locator("#rooms tr", has_text="101")).to_contain_text("0/3")

    # The ward officer verifies the new house.
    officer = new_page(lang="en")
    sign_in(officer, world.a.officer)
    expect(officer).to_have_url(re.compile(r"/w/ward-a/officer/$"))
    officer.goto("/w/ward-a/officer/properties?status=pending")
    officer.locator(f"#property-{property_id}").get_by_role("button", name="Verify").click()
    expect(officer.locator(f"#property-{property_id}")).to_have_count(0)
    expect(officer.locator("main")).to_contain_text("No property matches.")

    # The landlord registers a renter from a photo of the card's QR: the confirm form comes back filled in.
    landlord.reload()
    landlord.get_by_role("link", name="Register a renter").click()
    expect(landlord.locator("h1")).to_have_text("Register a renter")
    landlord.locator("#f-photo").set_input_files(
        {"name": "cccd.png", "mimeType": "image/png", "buffer": qr_png(RENTER_QR)}
    )
    landlord.get_by_role("button", name="Read the photo").click()
    expect(landlord.locator("#f-id_number")).to_have_value("001095012345")
    expect(landlord.locator("#f-full_name")).to_have_value("Nguyễn Văn An")
    expect(landlord.locator("#f-birth_date")).to_have_value("15/08/1995")
    expect(landlord.locator("#f-gender")).to_have_value("male")
    expect(landlord.locator("#f-old_id_number")).to_have_value("012345678")
    expect(landlord.locator("#f-permanent_address")).to_have_value("Số 1 Phố Huế, Hà Nội")
    assert db(seen(Renter.count())) == 0  # nothing is kept before the landlord confirms
    landlord.locator("#f-room_id").select_option(label="101 (0/3)")
    landlord.get_by_role("button", name="Check in").click()

    expect(landlord).to_have_url(re.compile(rf"/w/ward-a/landlord/properties/{property_id}(#people)?$"))
    expect(landlord.locator("#people li", has_text="Nguyễn Văn An")).to_contain_text("room 101")
    expect(landlord.locator("#rooms tr", has_text="101")).to_contain_text("1/3")

    # The sticker downloads as a PDF.
    with landlord.expect_download() as downloading:
        landlord.get_by_role("link", name="Download the sticker (PDF, A6)").click()
    sticker = downloading.value
    assert sticker.suggested_filename == f"sticker-{property_id}.pdf"
    saved = tmp_path / sticker.suggested_filename
    sticker.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    sticker_url = landlord.locator("#sticker a", has_text="/q/").inner_text()

    # A resident opens the sticker's address: the house and its ward, nobody who lives there.
    resident = new_page(lang="en")
    resident.goto(urlsplit(sticker_url).path)
    expect(resident.locator("h1")).to_have_text(HOUSE)
    main = resident.locator("main")
    expect(main).to_contain_text("Verified by Phường Xuân Phương")
    expect(main).not_to_contain_text("Nguyễn Văn An")
    expect(main).not_to_contain_text("001095012345")
    expect(main).not_to_contain_text("Landlord ward-a")  # not even the landlord's name

    # ... and asks to be registered, reading the QR of their own card.
    resident.get_by_role("link", name="Ask to be registered here").click()
    expect(resident.locator("h1")).to_have_text("Ask to be registered here")
    resident.locator("#f-qr_text").fill(RESIDENT_QR)
    resident.get_by_role("button", name="Read the text").click()
    expect(resident.locator("#f-full_name")).to_have_value("Trần Thị Bích")
    expect(resident.locator("#f-gender")).to_have_value("female")
    resident.locator("#f-phone").fill("0988 111 222")
    resident.locator("#f-room_id").select_option(label="102")
    resident.locator("input[name=consent]").check()
    resident.get_by_role("button", name="Send the request").click()
    expect(resident).to_have_url(re.compile(r"/q/r/[\w-]+$"))
    expect(resident.get_by_role("status")).to_have_text("Waiting for the landlord.")
    status_page = resident.url

    # The landlord accepts.
    landlord.goto("/w/ward-a/landlord/")
    request = landlord.locator("#requests li", has_text="Trần Thị Bích")
    expect(request).to_contain_text(HOUSE)
    expect(request).to_contain_text("room 102")
    expect(request).to_contain_text("0988 111 222")
    request.get_by_role("button", name="Accept").click()
    expect(landlord.locator("#requests")).to_have_count(0)
    expect(landlord.locator("#houses li", has_text=HOUSE)).to_contain_text("2 / 6 people")
    landlord.goto(f"/w/ward-a/landlord/properties/{property_id}")
    expect(landlord.locator("#people li", has_text="Trần Thị Bích")).to_contain_text("room 102")

    # The resident's page says so, and shows nothing else about them.
    resident.goto(status_page)
    expect(resident.get_by_role("status")).to_have_text("Accepted: the landlord has registered you.")
    expect(resident.locator("main")).to_contain_text(f"{HOUSE} · room 102")
    expect(resident.locator("main")).not_to_contain_text("079198001234")
    assert db(seen(Stay.count().where(Stay.to_date.is_null()))) == 2
    assert db(seen(SelfRegistration.select(SelfRegistration.status))) == [{"status": "accepted"}]
