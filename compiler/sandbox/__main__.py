"""`python -m compiler.sandbox serve ...` without the product CLI."""

from compiler.sandbox.cli import sandbox_group

if __name__ == "__main__":
    sandbox_group(prog_name="python -m compiler.sandbox")
