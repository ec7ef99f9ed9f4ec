"""Polystore's benchmarks: `python -m tools.bench` (see docs/benchmarks.md for the latest figures)."""
