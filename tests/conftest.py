import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SCENARIO = FIXTURES / "scenario"
CHECK_CONTRACT = ROOT.parent / "shared" / "tools" / "check_contract.py"


def run_cli(*args, cwd=None):
    """Run ``python -m detector ARGS`` in a subprocess; return the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "detector", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="session")
def fixture_scenario():
    return SCENARIO


@pytest.fixture(scope="session")
def tulsa_20k():
    """A simulated Tulsa-like scenario with 20,000 registrations (seed 1), shared by tests."""
    import detector

    return detector.simulate("tulsa", n=20_000, seed=1)
