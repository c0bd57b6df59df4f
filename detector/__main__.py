"""``python -m detector`` is the same as the ``detector`` command."""
from .cli import main

if __name__ == "__main__":   # not in the worker processes a Dask LocalCluster spawns
    main()
