"""Indexes for the police residency search (app/residence/search.py).

- Name: the search is a prefix range on the folded name, ordered by name then birth date, so one B-tree on
  (ward, name_folded, birth_date) answers it in order and stops at the page's limit. On PostgreSQL the name is
  indexed in the "C" collation, which the query names too: byte order is what a prefix range needs, whatever
  the database's own collation (en_US would ignore the spaces between words). A trigram (pg_trgm) index was
  measured and left out: under the forced row-level security of every ward-owned table PostgreSQL may not
  use it (LIKE is not a leakproof operator), and even without that wall it is slow on Vietnamese names,
  which are built from a few hundred syllables ("ngu" is in four names out of ten). See bench/README.md.
- Phone and the old 9-digit CMND number: exact matches within the ward. (ward, id_number) already exists
  as the unique key renter_ward_id_number.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.querystring import QueryString

ID = "2026-11-21T22:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "residency search indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="housing", description=DESCRIPTION)

    async def run() -> None:
        from app.db import DB

        name = 'name_folded COLLATE "C"' if DB.engine_type == "postgres" else "name_folded"
        for sql in (
            f"CREATE INDEX IF NOT EXISTS renter_ward_name_birth ON renter (ward, {name}, birth_date)",
            "CREATE INDEX IF NOT EXISTS renter_ward_phone ON renter (ward, phone)",
            "CREATE INDEX IF NOT EXISTS renter_ward_old_id_number ON renter (ward, old_id_number)",
        ):
            await DB.run_querystring(QueryString(sql))

    manager.add_raw(run)
    return manager
