"""Server-side sessions kept in the database, shared by all workers and machines.

The cookie holds a random id; the table holds only its SHA-256, so a copy of the database holds no live
session. A session is written only when its content changes, or when its expiry needs extending (at most
once a day), never for a visitor who has nothing in it; public pages therefore cost no write.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.accounts.tables import SessionRecord
from app.db import write_transaction

COOKIE = "session"
_RENEW_AFTER = timedelta(days=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class SessionState:
    key: str | None = None
    data: dict = field(default_factory=dict)
    loaded: str = "{}"
    expires_at: datetime | None = None
    rotate: bool = False  # a new id at sign-in, so a planted session id is useless

    @property
    def changed(self) -> bool:
        return json.dumps(self.data, sort_keys=True) != self.loaded


async def load_session(key: str | None) -> SessionState:
    if not key or len(key) > 100:
        return SessionState()
    row = (
        await SessionRecord.select(SessionRecord.data, SessionRecord.expires_at)
        .where(SessionRecord.key_hash == _hash(key))
        .first()
    )
    if row is None or row["expires_at"] <= datetime.now(UTC):
        return SessionState()
    data = json.loads(row["data"])
    return SessionState(key=key, data=data, loaded=json.dumps(data, sort_keys=True), expires_at=row["expires_at"])


async def save_session(state: SessionState, max_age: timedelta) -> str | None:
    """Persist what changed. Returns the cookie value to set, "" to clear it, or None for no change."""
    now = datetime.now(UTC)
    if not state.data:
        if state.key:
            async with write_transaction():
                await SessionRecord.delete().where(SessionRecord.key_hash == _hash(state.key))
            return ""
        return None
    stale = state.expires_at is None or state.expires_at - now < max_age - _RENEW_AFTER
    if not (state.changed or state.rotate or stale or state.key is None):
        return None
    async with write_transaction():
        if state.key and state.rotate:
            await SessionRecord.delete().where(SessionRecord.key_hash == _hash(state.key))
        if state.key is None or state.rotate:
            state.key = secrets.token_urlsafe(32)
            await SessionRecord.insert(
                SessionRecord(
                    key_hash=_hash(state.key),
                    user_id=state.data.get("uid"),
                    data=json.dumps(state.data),
                    expires_at=now + max_age,
                )
            )
            return state.key
        await SessionRecord.update(
            {
                SessionRecord.data: json.dumps(state.data),
                SessionRecord.user_id: state.data.get("uid"),
                SessionRecord.expires_at: now + max_age,
            }
        ).where(SessionRecord.key_hash == _hash(state.key))
    return state.key


async def end_sessions_of(user_id: int) -> None:
    """Sign a user out everywhere (password reset, deactivation). Call inside write_transaction()."""
    await SessionRecord.delete().where(SessionRecord.user_id == user_id)


async def purge_expired() -> int:
    async with write_transaction():
        rows = (
            await SessionRecord.delete().where(SessionRecord.expires_at < datetime.now(UTC)).returning(SessionRecord.id)
        )
    return len(rows)


def sign_in_session(scope, user_id: int, membership_id: int | None) -> None:
    """Start a signed-in session under a fresh id (so a planted id is useless)."""
    state: SessionState = scope["session_state"]
    state.data.clear()
    state.data.update(uid=user_id, mid=membership_id)
    state.rotate = True


def sign_out_session(scope) -> None:
    scope["session_state"].data.clear()
