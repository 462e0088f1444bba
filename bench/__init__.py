"""Benchmarks: `python -m bench.run` runs them all; each module also runs alone (`python -m bench.<name>`)."""
