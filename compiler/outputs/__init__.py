"""Output classes shared by plan, drift and validate: text (terminal), markdown (pull requests), json (machines).

One field-change formatter (``changes.py``) turns a before/after pair into
signed diff lines; every output class prints those lines its own way, so the
terminal, the saved plan's ``alertc show`` and the CI comment always show the
same changes, and a reviewer never sees a value cut short.

The package imports nothing itself: ``findings`` (validate's formats) is light,
``classes`` (plans and drift reports) brings the plan and drift models, and a
command imports only the one it prints with.
"""
