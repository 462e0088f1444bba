"""Data builders shared by integration tests."""

from __future__ import annotations


async def pending_landlord(ward_id: int, phone: str = "0977000111", name: str = "Trần Thị Chờ") -> int:
    """A landlord who signed up in the ward and waits for approval; returns the membership id."""
    from app.accounts.tables import Membership, MembershipStatus
    from app.db import write_transaction
    from tenants.scope import ward_scope
    from tests.helpers import make_user

    user_id = await make_user(phone, name)
    async with ward_scope(ward_id), write_transaction():
        membership = Membership.ward_new(user=user_id, role="landlord", status=MembershipStatus.pending)
        await membership.save()
    return membership.id
