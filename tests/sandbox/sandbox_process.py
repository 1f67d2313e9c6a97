"""A sandbox CLI child process, for tests and benchmarks that need a real process."""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


class SandboxProcess:
    """A sandbox CLI child process whose stdout we read line by line."""

    def __init__(self, *argv: str, priority_boost: bool = False, cpu: int | None = None) -> None:
        """``cpu``: run every thread of the child on that one CPU (benchmarks)."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # A store answers on its own machine; here the sandbox shares two cores with the
        # test run, so rate-limit tests raise its priority (root only) to keep it from stalling.
        boost = priority_boost and hasattr(os, "nice")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tiktok_console.sandbox.cli", *argv],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # Only system calls, safe between fork and exec; the affinity is set before
            # the interpreter starts, so every thread it later spawns inherits it.
            preexec_fn=lambda: _prepare_child(boost, cpu),
        )

    def first_line(self, timeout: float = 30) -> str:
        assert self.proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError("the sandbox printed nothing in time")
        return self.proc.stdout.readline()

    def stop(self, signum: int) -> int:
        self.proc.send_signal(signum)
        return self.proc.wait(timeout=20)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def info(self, timeout: float = 30) -> dict[str, Any]:
        """The ``SandboxInfo`` JSON a ``--print-json`` child prints first."""
        info: dict[str, Any] = json.loads(self.first_line(timeout))
        return info


def _prepare_child(boost: bool, cpu: int | None) -> None:
    if boost:
        with contextlib.suppress(OSError):  # not root: run at normal priority
            os.nice(-10)
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
