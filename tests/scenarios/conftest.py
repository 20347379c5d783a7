"""What the seed stories share: running the command line on a book file they made."""

import subprocess
import sys

import pytest


def _cli(*args):
    """Run ``python -m orderbook`` with the arguments; return its exit code and output."""
    done = subprocess.run(
        [sys.executable, "-m", "orderbook", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout


@pytest.fixture
def cli():
    """The command line, run as a separate process: ``code, text = cli("report", ...)``."""
    return _cli
