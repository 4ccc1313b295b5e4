"""``python -m compiler``: the ``alertc`` command, for when the console script is not on PATH."""

from compiler.entry import main

main()
