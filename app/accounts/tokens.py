"""Personal API tokens: created and revoked on the profile page, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from app.accounts.tables import ApiToken
from app.db import write_transaction

PREFIX = "nts_"
_TOUCH_EVERY = timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(user_id: int, name: str) -> str:
    """Returns the token; only its hash is kept, so this is the one time anyone sees it."""
    token = PREFIX + secrets.token_urlsafe(32)
    async with write_transaction():
        await ApiToken.insert(
            ApiToken(
                user=user_id,
                name=name,
                token_hash=_hash(token),
                prefix=token[: len(PREFIX) + 4],
                created_at=datetime.now(UTC),
            )
        )
    return token


async def revoke_token(user_id: int, token_id: int) -> bool:
    async with write_transaction():
        rows = (
            await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)})
            .where((ApiToken.id == token_id) & (ApiToken.user == user_id) & ApiToken.revoked_at.is_null())
            .returning(ApiToken.id)
        )
    return bool(rows)


async def tokens_of(user_id: int) -> list[dict]:
    return (
        await ApiToken.select(
            ApiToken.id, ApiToken.name, ApiToken.prefix, ApiToken.created_at, ApiToken.last_used_at, ApiToken.revoked_at
        )
        .where(ApiToken.user == user_id)
        .order_by(ApiToken.id, ascending=False)
    )


async def user_id_for_token(token: str) -> int | None:
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = (
        await ApiToken.select(ApiToken.id, ApiToken.user, ApiToken.last_used_at)
        .where((ApiToken.token_hash == _hash(token)) & ApiToken.revoked_at.is_null())
        .first()
    )
    if row is None:
        return None
    now = datetime.now(UTC)
    if row["last_used_at"] is None or now - row["last_used_at"] > _TOUCH_EVERY:
        async with write_transaction():  # at most every few minutes, not a write per API call
            await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row["id"])
    return row["user"]
