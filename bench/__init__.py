"""Benchmarks, run by `make bench` (`python -m bench`): figures, not tests."""
