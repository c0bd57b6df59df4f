"""Progress bars on long steps: shown in a terminal or a notebook, silent in batch logs.

``detect(..., progress="auto")`` shows a bar when standard error is a terminal or the code runs
in a Jupyter kernel, and nothing when the output goes to a log file; ``True``/``False`` force it
(``detector detect --no-progress``). The bar is tqdm's, written to standard error, so standard
output stays clean for what batch jobs parse.
"""
from __future__ import annotations

import sys

__all__ = ["Steps", "wanted"]


def wanted(setting="auto") -> bool:
    """Whether to show progress for ``setting`` (True, False or "auto").

    >>> wanted(False), wanted(True)
    (False, True)
    """
    if setting == "auto":
        return _in_notebook() or bool(getattr(sys.stderr, "isatty", lambda: False)())
    if isinstance(setting, bool):
        return setting
    raise ValueError(f"progress must be True, False or 'auto', not {setting!r}")


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()
    except AttributeError:
        return False
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


class Steps:
    """A bar over the named steps of a long job.

    Parameters
    ----------
    total : int
        Number of steps.
    desc : str
        What the job is.
    enabled : bool
        Whether to draw anything.

    Examples
    --------
    >>> with Steps(2, "demo", enabled=False) as steps:
    ...     steps.step("first")
    ...     steps.step("second")
    """

    def __init__(self, total: int, desc: str, *, enabled: bool):
        self.total, self.desc, self.enabled = total, desc, enabled
        self._bar = None

    def __enter__(self):
        if self.enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, desc=self.desc, file=sys.stderr, leave=False,
                             bar_format="{desc}: {n_fmt}/{total_fmt} {postfix} [{elapsed}]")
        return self

    def step(self, name: str) -> None:
        """Start the step ``name`` (the previous one is done)."""
        if self._bar is not None:
            if self._bar.n or self._bar.postfix:
                self._bar.update(1)
            self._bar.set_postfix_str(name)

    def note(self, text: str) -> None:
        """Say what the current step is doing, without advancing."""
        if self._bar is not None:
            self._bar.set_postfix_str(text)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.update(self.total - self._bar.n)
            self._bar.close()
        return False
