"""``python -m compiler.cli``: the same as the ``alertc`` console script (``python -m compiler`` too)."""

from compiler.entry import main

main()
