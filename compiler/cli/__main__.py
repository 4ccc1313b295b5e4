"""``python -m compiler.cli``: the same as the ``alertc`` console script."""

from compiler.cli import main

main()
