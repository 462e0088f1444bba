"""app/accounts/passwords.py: argon2id hashing and temporary passwords."""

from __future__ import annotations

import pytest

from app.accounts.passwords import hash_password, temporary_password, verify_password

DUMMY = "not-a-real-password"  # what an unknown phone is checked against


async def test_hash_is_argon2id_and_verifies():
    hashed = await hash_password("mật khẩu đúng 123")
    assert hashed.startswith("$argon2id$")
    assert "mật khẩu" not in hashed
    assert await verify_password(hashed, "mật khẩu đúng 123")


async def test_wrong_password_is_refused():
    hashed = await hash_password("correct horse")
    assert not await verify_password(hashed, "correct hors")
    assert not await verify_password(hashed, "Correct horse")
    assert not await verify_password(hashed, "")


async def test_each_hash_has_its_own_salt():
    first, second = await hash_password("same"), await hash_password("same")
    assert first != second
    assert await verify_password(first, "same") and await verify_password(second, "same")


async def test_unknown_account_never_verifies():
    assert not await verify_password(None, "anything")
    assert not await verify_password(None, DUMMY)  # not even the dummy hash's own password


@pytest.mark.parametrize("stored", ["not a hash", "$argon2id$v=19$m=65536,t=3,p=4$broken", "$2b$12$abcdefghijk"])
async def test_broken_hash_is_refused_not_raised(stored):
    assert not await verify_password(stored, "anything")


async def test_empty_hash_refuses_other_passwords():
    assert not await verify_password("", "anything")


async def test_empty_hash_refuses_the_dummy_password():
    assert not await verify_password("", DUMMY)


async def test_empty_password_can_be_hashed_and_checked():
    hashed = await hash_password("")
    assert await verify_password(hashed, "")
    assert not await verify_password(hashed, " ")


def test_temporary_password_is_easy_to_read_out():
    for _ in range(200):
        password = temporary_password()
        assert len(password) == 10
        assert set(password) <= set("abcdefghjkmnpqrstuvwxyz23456789")
        assert not set(password) & set("0O1lIi")


def test_temporary_passwords_differ():
    assert len({temporary_password() for _ in range(100)}) == 100


async def test_temporary_password_round_trip():
    password = temporary_password()
    assert await verify_password(await hash_password(password), password)
