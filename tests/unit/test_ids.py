"""Ids and whole numbers as people type them: what int() refuses or the database cannot hold is no value."""

from app.web.forms import Form
from app.web.ids import ID_MAX, as_id


def test_an_id_is_ascii_digits_within_the_integer_column():
    assert as_id("42") == 42 and as_id(" 7 ") == 7 and as_id(17) == 17 and as_id(str(ID_MAX)) == ID_MAX
    for wrong in ("²", "１２", "0", "-3", "4.0", "", None, "12a", str(ID_MAX + 1), "9" * 40):
        assert as_id(wrong) is None, wrong


class _Count(Form):
    def validate(self) -> None:
        self.integer("n", minimum=0)


def test_a_whole_number_field_refuses_superscripts_and_numbers_too_large_to_keep(in_locale):
    in_locale("en")
    assert _Count({"n": "１２"}).is_valid()  # full-width digits from a phone keyboard are digits
    superscript = _Count({"n": "²"})
    assert not superscript.is_valid() and str(superscript.errors["n"]) == "Enter a whole number."
    huge = _Count({"n": "99999999999"})
    assert not huge.is_valid() and str(huge.errors["n"]) == f"At most {ID_MAX}."
    assert _Count({"n": "2.500"}).is_valid()
    in_locale("vi")
    form = _Count({"n": "²"})
    assert not form.is_valid() and str(form.errors["n"]) == "Vui lòng nhập số nguyên."
