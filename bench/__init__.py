"""Workload generators and benchmarks (not part of the installed package)."""
