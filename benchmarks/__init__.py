"""The benchmark of issue #7: ``make bench`` (see benchmarks/README.md)."""
