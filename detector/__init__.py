"""detector: find coordinated, bursty sign-up campaigns and score them.

The public API mirrors the command line::

    import detector
    sim = detector.simulate("tulsa", n=20_000, seed=0)       # data + ground truth
    data = detector.load(registrations="registrations.csv")  # or DataFrames
    result = detector.detect(data)                           # DetectionResult
    detector.evaluate(sim.truth, result.registrations, result.summary)

Submodules are imported on first use, so ``import detector`` is cheap.
"""
from ._version import __version__

__all__ = ["__version__", "load", "simulate", "detect", "evaluate", "pseudonymize", "InputError"]

_LAZY = {
    "load": ("detector.loading", "load"),
    "simulate": ("detector.simulation", "simulate"),
    "detect": ("detector.detection", "detect"),
    "evaluate": ("detector.evaluation", "evaluate"),
    "pseudonymize": ("detector.privacy", "pseudonymize"),
    "InputError": ("detector.errors", "InputError"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'detector' has no attribute {name!r}")
