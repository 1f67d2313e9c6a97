"""A demo ended by SIGTERM (what a logout sends) shuts down and removes its temporary profile."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def test_sigterm_ends_the_demo_and_removes_its_temporary_profile(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tiktok_console", "--demo"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        databases: list[Path] = []
        while not databases and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.2)
            databases = list(tmp_path.glob("ttc-demo-*/**/*.sqlite*")) + list(
                tmp_path.glob("ttc-demo-*/**/*.db")
            )
        assert databases, "the demo never opened its profile"
        child.send_signal(signal.SIGTERM)
        status = child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert status == 0, child.stderr.read() if child.stderr else ""
    assert not list(tmp_path.glob("ttc-demo-*")), "the temporary profile was left behind"
