"""Live state: per-kind specs, normalizers, ownership marks, and the rate limiter.

Everything here is provider knowledge the engine must not hard-code: adding a
kind means adding a spec in ``kinds.py`` plus its normalizer and tests.
"""
