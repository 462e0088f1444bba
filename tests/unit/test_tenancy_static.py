"""Fails the build if any code queries a ward-owned table around the ward scope.

Ward-owned tables are read and written only through their `ward_*` helpers (tenants/scope.py), which
add the ward and refuse to run without one. A direct `Membership.select(...)` anywhere in app/ or
tenants/ is a leak waiting to happen; this test names the file and line.
"""

import ast
from pathlib import Path

from app.settings import ROOT
from tenants.scope import WardOwned, ward_owned_tables

QUERY_METHODS = {"select", "objects", "insert", "update", "delete", "count", "exists", "raw", "create_index"}
ALLOWED_FILES = {ROOT / "tenants" / "scope.py"}


def unscoped_queries() -> list[str]:
    names = {t.__name__ for t in ward_owned_tables()}
    found = []
    for path in sorted([*ROOT.joinpath("app").rglob("*.py"), *ROOT.joinpath("tenants").rglob("*.py")]):
        if path in ALLOWED_FILES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in QUERY_METHODS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in names
            ):
                found.append(f"{Path(path).relative_to(ROOT)}:{node.lineno}: {node.func.value.id}.{node.func.attr}()")
    return found


def test_ward_owned_tables_are_known():
    names = {t.__name__ for t in ward_owned_tables()}
    assert {"Membership", "Consent"} <= names


def test_no_code_queries_a_ward_owned_table_outside_the_scope():
    assert unscoped_queries() == []


def test_the_check_catches_a_direct_query(tmp_path, monkeypatch):
    """The check itself can fail: a planted direct query is found."""
    planted = ROOT / "app" / "_planted_leak_for_test.py"
    planted.write_text("from app.accounts.tables import Membership\nrows = Membership.select()\n")
    try:
        assert unscoped_queries() == ["app/_planted_leak_for_test.py:2: Membership.select()"]
    finally:
        planted.unlink()


def test_every_ward_owned_table_has_a_required_indexed_ward():
    for table in ward_owned_tables():
        ward = table._meta.get_column_by_name("ward")
        assert ward._meta.null is False and ward._meta.index is True, table.__name__
        assert issubclass(table, WardOwned)
