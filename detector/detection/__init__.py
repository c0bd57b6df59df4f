"""Detection: signals -> graph -> clusters -> scores.

The entry point is :func:`detect`, which takes a loaded :class:`~detector.loading.Dataset`
(or a registrations DataFrame) and returns a :class:`~detector.result.DetectionResult`.
Each signal lives in a module of its own (``bursts`` finds sign-up bursts).
"""
from .pipeline import detect

__all__ = ["detect"]
