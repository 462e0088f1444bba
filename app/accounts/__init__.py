"""Accounts: users, their roles in wards, sign-in, sessions and personal API tokens."""
