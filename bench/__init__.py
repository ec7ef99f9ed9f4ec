"""Polystore's benchmarks: `python -m bench` (see docs/benchmarks.md for the latest figures)."""
