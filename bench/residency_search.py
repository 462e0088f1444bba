"""Residency search benchmark (police desk): 1,000,000 renters across 20 wards, 50,000 in the searched ward.

Targets, on PostgreSQL: a name search p95 under 20 ms, an ID number search p95 under 5 ms, each within 2× of
the same query written by hand in SQL.

Run with `python -m bench.residency_search` (or every benchmark with `python -m bench.run`). It needs a
PostgreSQL server: `DATABASE_URL` when it points at one, else postgresql://postgres@127.0.0.1:5432/test, used
as an administrator to create (and at the end drop) a database `nhatro_bench_<random>` owned by an ordinary
role, as production runs: the tables force row-level security, and only a superuser would bypass it, so the
searches connect as that owner and set the ward with the app's own `ward_scope()`.

Steps: migrate the fresh database with `app.migrate`; load the rows with server-side SQL (generate_series,
no ORM), as the administrator; VACUUM ANALYZE; then, in the searched ward, time each search through
`app.residence.search.search_residents` and the same search as hand-written SQL on a plain asyncpg
connection, each in its own transaction with the ward set (what a request pays), and print p50/p95/p99,
the ratio, and the plans PostgreSQL chose (EXPLAIN ANALYZE) for the renters' part of each kind of search.
When no PostgreSQL server answers, it says so and counts as passed ("skipped").
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import random
import statistics
import sys
import time

from bench.pg import measure_in_fresh_database

WARDS = 20
WARD_RENTERS = 50_000  # every ward holds as many; the first is the searched one
PROPERTIES_PER_WARD = 2_000  # 25 renters a house
ROOMS_PER_PROPERTY = 5
SEARCHES = 300  # of each kind, after a warm-up
NAME_P95_MS = 20.0
ID_P95_MS = 5.0
MAX_RATIO = 2.0

# Vietnamese names as they occur: a few family names carry most people (Nguyễn alone about 38 %), a few
# middle names too; the given names are many. Each entry is (written, folded) so the rows need no Python.
FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 10), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4), ("Vũ", 4),
    ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Đinh", 1),
    ("Trịnh", 1),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công", "Xuân", "Tuấn", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Phương", "Mai", "Hồng", "Bích"]
GIVEN_MALE = [
    "An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh",
    "Khoa", "Kiên", "Long", "Lâm", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn",
    "Tài", "Thắng", "Thành", "Thịnh", "Trung", "Tú", "Tuấn", "Việt", "Vinh", "Hưng", "Toàn", "Hậu", "Lộc",
]  # fmt: skip
GIVEN_FEMALE = [
    "An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huyền", "Hương", "Lan",
    "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh",
    "Thảo", "Thơ", "Thư", "Thủy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Yến", "Nhi", "Diệp",
]  # fmt: skip


def _fold(text: str) -> str:
    from tenants.communes import fold

    return fold(text)


def _pairs(words: list[str]) -> tuple[list[str], list[str]]:
    return words, [_fold(w) for w in words]


# ---------------------------------------------------------------------------------------------- the parent


def run() -> bool:
    print(f"residency search: {WARDS * WARD_RENTERS:,} renters in {WARDS} wards, {WARD_RENTERS:,} in the searched one")
    return measure_in_fresh_database("bench.residency_search")


# ----------------------------------------------------------------------------------------------- the child


async def _load(admin_url: str) -> int:
    """Every row by server-side SQL; returns the searched ward's id."""
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        kept = await conn.fetchval("SELECT id FROM ward WHERE slug = 'bench-0'")
        if kept:  # a database kept from an earlier run (BENCH_KEEP), measured again
            return kept
        started = time.perf_counter()
        ward_ids = []
        for n in range(WARDS):
            ward_ids.append(
                await conn.fetchval(
                    """INSERT INTO ward (code, name, province_code, province_name, slug, address, phone,
                           police_phone, email, office_hours, active, created_at)
                       VALUES ($1, $2, 1, 'Hà Nội', $3, '', '', '', '', '', true, now()) RETURNING id""",
                    900000 + n,
                    f"Phường Thử {n}",
                    f"bench-{n}",
                )
            )
        landlord = await conn.fetchval(
            """INSERT INTO account (phone, full_name, password_hash, must_change_password, is_platform_admin,
                   active, locale, created_at)
               VALUES ('0900000001', 'Chủ nhà', 'x', false, false, true, '', now()) RETURNING id"""
        )
        await conn.execute(
            """INSERT INTO property (ward, landlord, name, street_address, residential_group, kind, contact_phone,
                   show_contact, house_rules, status, status_reason, qr_token, created_at)
               SELECT w.id, $2, 'Nhà trọ số ' || p, 'Số ' || p || ' ngõ ' || (p % 97) || ' phố Thử',
                      'Tổ ' || (1 + p % 18), 'rooms', '', true, '', 'verified', '',
                      left(md5(w.id || '-' || p), 22), now()
               FROM unnest($1::int[]) AS w(id), generate_series(1, $3) AS p""",
            ward_ids,
            landlord,
            PROPERTIES_PER_WARD,
        )
        await conn.execute(
            """INSERT INTO room (ward, property, code, max_occupancy, archived, created_at)
               SELECT p.ward, p.id, (100 * (1 + r / 10) + r % 10 + 1)::text, 2, false, now()
               FROM property p, generate_series(0, $1 - 1) AS r""",
            ROOMS_PER_PROPERTY,
        )
        family = [name for name, weight in FAMILY for _ in range(weight)]
        columns = [*_pairs(family), *_pairs(MIDDLE_MALE), *_pairs(MIDDLE_FEMALE), *_pairs(GIVEN_MALE)]
        columns += [*_pairs(GIVEN_FEMALE)]
        await conn.execute("SELECT setseed(0.2026)")
        await conn.execute(
            """INSERT INTO renter (ward, id_number, old_id_number, full_name, name_folded, birth_date, gender,
                   permanent_address, phone, occupation, hometown, created_at)
               SELECT a.wards[1 + (g - 1) / $12::int],
                      '0' || lpad(((g::bigint * 9973) % 99999999999)::text, 11, '0'),
                      CASE WHEN g % 3 = 0 THEN lpad(((g::bigint * 7919) % 999999999)::text, 9, '0') ELSE '' END,
                      a.fd[f] || ' ' || CASE WHEN male THEN a.mmd[m] || ' ' || a.gmd[gi]
                                             ELSE a.mfd[m] || ' ' || a.gfd[gi] END,
                      a.ff[f] || ' ' || CASE WHEN male THEN a.mmf[m] || ' ' || a.gmf[gi]
                                             ELSE a.mff[m] || ' ' || a.gff[gi] END,
                      date '1960-01-01' + (random() * 16000)::int,
                      CASE WHEN male THEN 'male' ELSE 'female' END,
                      'Thôn ' || (g % 50) || ', xã Thử, tỉnh Thử', phone, '', '', now()
               FROM (SELECT $1::text[] AS fd, $2::text[] AS ff, $3::text[] AS mmd, $4::text[] AS mmf,
                            $5::text[] AS mfd, $6::text[] AS mff, $7::text[] AS gmd, $8::text[] AS gmf,
                            $9::text[] AS gfd, $10::text[] AS gff, $11::int[] AS wards) AS a,
                    LATERAL (
                   SELECT g, random() < 0.5 AS male,
                          1 + floor(random() * cardinality(a.fd))::int AS f,
                          1 + floor(random() * cardinality(a.mmd))::int AS m,
                          1 + floor(random() * cardinality(a.gmd))::int AS gi,
                          CASE WHEN g % 5 = 0 THEN ''
                               ELSE (ARRAY['03', '07', '08', '09'])[1 + g % 4]
                                    || lpad(((g::bigint * 7919) % 100000000)::text, 8, '0') END AS phone
                   FROM generate_series(1, $12::int * $13::int) AS g
               ) AS s""",
            *columns,
            ward_ids,
            WARD_RENTERS,
            WARDS,
        )
        # Rooms of a ward are numbered in one run, so "the k-th room of the ward" is first id + k.
        await conn.execute(
            """CREATE TEMP TABLE ward_rooms AS
               SELECT ward, min(id) AS first, count(*) AS n FROM room GROUP BY ward"""
        )
        # 85 % stay now; 40 % stayed before in another room of the ward (closed), some twice.
        await conn.execute(
            """INSERT INTO stay (ward, renter, room, from_date, expected_to, to_date, reason, created_at)
               SELECT r.ward, r.id, wr.first + (r.id * 7 + k * 13) % wr.n,
                      current_date - 1400 + k * 400 + r.id % 300,
                      NULL, current_date - 1400 + k * 400 + r.id % 300 + 200, 'Làm việc', now()
               FROM renter r JOIN ward_rooms wr USING (ward), generate_series(0, 1) AS k
               WHERE (k = 0 AND r.id % 5 < 2) OR (k = 1 AND r.id % 10 = 0)"""
        )
        await conn.execute(
            """INSERT INTO stay (ward, renter, room, from_date, expected_to, to_date, reason, created_at)
               SELECT r.ward, r.id, wr.first + (r.id * 11) % wr.n, current_date - r.id % 500,
                      NULL, NULL, 'Làm việc', now()
               FROM renter r JOIN ward_rooms wr USING (ward)
               WHERE r.id % 20 >= 3"""
        )
        await conn.execute("VACUUM ANALYZE")
        counts = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM renter) AS renters, (SELECT count(*) FROM stay) AS stays, "
            "(SELECT count(*) FROM room) AS rooms, pg_size_pretty(pg_database_size(current_database())) AS size"
        )
        print(
            f"  loaded {counts['renters']:,} renters, {counts['stays']:,} stays, {counts['rooms']:,} rooms "
            f"in {time.perf_counter() - started:.0f} s; database {counts['size']}"
        )
        return ward_ids[0]
    finally:
        await conn.close()


RENTERS_SQL = """
    SELECT id, full_name, birth_date, gender, id_number, old_id_number, phone, permanent_address
    FROM renter WHERE ward = $1 AND {match}{year}
    ORDER BY {order}, birth_date, id LIMIT 51"""
NAME_MATCH = 'name_folded COLLATE "C" >= $2 AND name_folded COLLATE "C" < $3'
NAME_ORDER = 'name_folded COLLATE "C"'
YEAR = " AND birth_date >= $4 AND birth_date < $5"
STAYS_SQL = """
    SELECT s.renter, s.from_date, s.to_date, r.code, p.id, p.name, p.street_address
    FROM stay s JOIN room r ON r.id = s.room JOIN property p ON p.id = r.property
    WHERE s.ward = $1 AND s.renter = ANY($2::int[])
    ORDER BY s.from_date DESC, s.id DESC"""


def _raw_query(kind: str, query: str, year: int | None, ward_id: int) -> tuple[str, list]:
    """The hand-written equivalent of what `search_residents` asks for the renters."""
    from datetime import date

    if kind == "name":
        words = " ".join(_fold(query).split())
        sql = RENTERS_SQL.format(match=NAME_MATCH, year=YEAR if year else "", order=NAME_ORDER)
        args: list = [ward_id, words, words[:-1] + chr(ord(words[-1]) + 1)]
        if year:
            args += [date(year, 1, 1), date(year + 1, 1, 1)]
        return sql, args
    column = {"id": "id_number", "old id": "old_id_number", "phone": "phone"}[kind]
    value = "0" + query[3:] if kind == "phone" else query
    return RENTERS_SQL.format(match=f"{column} = $2", year="", order="name_folded"), [ward_id, value]


async def _raw_search(conn, kind: str, query: str, year: int | None, ward_id: int) -> int:
    sql, args = _raw_query(kind, query, year, ward_id)
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.ward_id', $1, true)", str(ward_id))
        rows = await conn.fetch(sql, *args)
        if rows:
            await conn.fetch(STAYS_SQL, ward_id, [r["id"] for r in rows[:50]])
    return min(len(rows), 50)


async def _samples(conn, ward_id: int, rng: random.Random) -> dict[str, list[tuple[str, int | None]]]:
    """Searches an officer would type, drawn from the ward's own renters."""
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.ward_id', $1, true)", str(ward_id))
        rows = await conn.fetch(
            "SELECT full_name, birth_date, id_number, old_id_number, phone FROM renter WHERE ward = $1", ward_id
        )
    picked = rng.sample(list(rows), SEARCHES)
    full = [(r["full_name"], None) for r in picked]
    cut = []
    for r in picked:
        words = _fold(r["full_name"]).split()
        cut.append((" ".join([*words[:-1], words[-1][: rng.randint(1, 2)]]), None))
    two = [(" ".join(_fold(r["full_name"]).split()[:2]), r["birth_date"].year) for r in picked]
    with_phone = [r for r in rows if r["phone"]]
    with_old = [r for r in rows if r["old_id_number"]]
    return {
        "name, full": full,
        "name, last word cut short": cut,
        "name, two words + birth year": two,
        "id number (CCCD)": [(r["id_number"], None) for r in picked],
        "old id number (CMND)": [(r["old_id_number"], None) for r in rng.sample(with_old, SEARCHES)],
        "phone, typed +84": [("+84" + r["phone"][1:], None) for r in rng.sample(with_phone, SEARCHES)],
    }


def _kind(label: str) -> str:
    return (
        "name"
        if label.startswith("name")
        else "phone"
        if label.startswith("phone")
        else ("old id" if label.startswith("old") else "id")
    )


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _plan_summary(plan: dict) -> str:
    """The plan as a chain of nodes with their index, and the rows each returned."""
    parts = []
    node = plan
    while node:
        text = node["Node Type"]
        if node.get("Index Name"):
            text += f" using {node['Index Name']}"
        text += f" ({node.get('Actual Rows', 0)} rows)"
        parts.append(text)
        children = [c for c in node.get("Plans", []) if c.get("Parent Relationship") != "InitPlan"]
        node = children[0] if children else None
    return " → ".join(parts)


async def _explain(conn, ward_id: int, label: str, query: str, year: int | None) -> str:
    import json

    sql, args = _raw_query(_kind(label), query, year, ward_id)
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.ward_id', $1, true)", str(ward_id))
        result = await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *args)
    plan = (json.loads(result) if isinstance(result, str) else result)[0]
    return f"{_plan_summary(plan['Plan'])}; {plan['Execution Time']:.2f} ms"


def _measure() -> int:
    return asyncio.run(_measure_async())


async def _measure_async() -> int:
    import asyncpg

    from app.db import close_db, open_db
    from app.migrate import migrate
    from app.residence.search import search_residents
    from tenants.scope import ward_scope

    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # Piccolo's progress lines
        await migrate()
    print(f"  migrated in {time.perf_counter() - started:.1f} s")
    ward_id = await _load(os.environ["BENCH_ADMIN_URL"])
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"  {os.cpu_count()} CPUs, load average before the searches: {load}")
    owner = object()
    await open_db(owner)
    conn = await asyncpg.connect(os.environ["DATABASE_URL"])  # the same role as the app: RLS binds
    rng = random.Random(2026)
    passed = True
    try:
        samples = await _samples(conn, ward_id, rng)
        print(f"  {SEARCHES} searches of each kind in the searched ward, each in its own transaction")
        print(f"  {'kind':<30} {'app p50':>8} {'p95':>7} {'p99':>7}   {'SQL p50':>8} {'p95':>7}   ratio  found")
        for label, queries in samples.items():
            kind = _kind(label)
            for query, year in queries[:30]:  # warm-up: caches, prepared statements
                async with ward_scope(ward_id):
                    await search_residents(query, year)
                await _raw_search(conn, kind, query, year, ward_id)
            app_ms, raw_ms, found = [], [], 0
            for query, year in queries:
                t = time.perf_counter()
                async with ward_scope(ward_id):
                    result = await search_residents(query, year)
                app_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                count = await _raw_search(conn, kind, query, year, ward_id)
                raw_ms.append((time.perf_counter() - t) * 1000)
                if count != len(result.people):
                    print(f"  MISMATCH {label} {query!r}: app {len(result.people)}, SQL {count}")
                    passed = False
                found += len(result.people)
            p95, raw95 = _pct(app_ms, 95), _pct(raw_ms, 95)
            ratio = p95 / raw95
            target = NAME_P95_MS if kind == "name" else ID_P95_MS
            ok = p95 < target and ratio <= MAX_RATIO
            passed &= ok
            print(
                f"  {label:<30} {statistics.median(app_ms):6.2f}ms {p95:5.2f}ms {_pct(app_ms, 99):5.2f}ms   "
                f"{statistics.median(raw_ms):6.2f}ms {raw95:5.2f}ms   {ratio:4.2f}×  {found / len(queries):5.1f}"
                f"  {'ok' if ok else 'MISSED'} (p95 < {target:.0f} ms, ≤ {MAX_RATIO:.0f}×)"
            )
        print("  plans (EXPLAIN ANALYZE of the renters' query, as the app's role, ward set):")
        for label, queries in samples.items():
            query, year = queries[0]
            print(f"    {label}: {await _explain(conn, ward_id, label, query, year)}")
    finally:
        await conn.close()
        await close_db(owner)
    verdict = "PASS" if passed else "FAIL"
    print(
        f"  {verdict}: name p95 < {NAME_P95_MS:.0f} ms, ID number p95 < {ID_P95_MS:.0f} ms, "
        f"each within {MAX_RATIO:.0f}× of hand-written SQL"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        sys.exit(_measure())
    sys.exit(0 if run() else 1)
