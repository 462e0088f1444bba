"""Run every benchmark (`python -m bench.run`); the exit status is 1 when any misses its target."""

from __future__ import annotations

import importlib
import sys

BENCHES = [
    "bench.stickers",
    "bench.public_page",
    "bench.ct01",
    "bench.residency_search",
    "bench.reminders",
    "bench.receipt",
    "bench.board",
]


def main() -> int:
    failed = []
    for name in BENCHES:
        if not importlib.import_module(name).run():
            failed.append(name)
        print()
    print("all benchmarks met their targets" if not failed else f"missed the target: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
