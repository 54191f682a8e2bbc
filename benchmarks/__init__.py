"""Benchmarks for issue 9, "Fast at any size": build, validate and search at 100 to 10,000 cases.

Run ``scripts/bench`` (or ``.venv/bin/python -m benchmarks.run``). Nothing here is imported by the
site or run by the test suite: timings belong in a benchmark, not in tests.
"""
