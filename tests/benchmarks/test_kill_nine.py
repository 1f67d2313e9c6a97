"""The kill -9 test of the orders sync, a hundred times. Run on demand (needs a Secret Service):

dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets;
                           uv run pytest tests/benchmarks/test_kill_nine.py -s'
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.sync.test_crash_safety import kill_and_check, pytestmark  # noqa: F401 (same skip)


def test_kill_9_a_hundred_times(tmp_path: Path) -> None:
    started = time.monotonic()
    due = kill_and_check(tmp_path, kills=100, seed=100)
    elapsed = time.monotonic() - started
    print(f"\nkill -9 x100: {due} orders due, none missing, none twice, in {elapsed:.0f} s")
