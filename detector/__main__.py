"""``python -m detector`` is the same as the ``detector`` command."""
from .cli import main

main()
