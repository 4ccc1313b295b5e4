"""Per-kind normalizers: both the desired and the live body go through the same function.

A normalizer maps an API-shaped body (as we would send it, or as the API
returns it) to the canonical dict that is diffed. Every server-side rewrite
known from the references is undone here, so a perpetual diff is a bug in
this package, not in the engine.
"""
