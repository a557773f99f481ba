"""Benchmarks of imports, re-imports, tag pages, parsing and truncation: ``python -m benchmarks``.

Every number is a ratio against a baseline measured in the same run, on the same machine.
"""
