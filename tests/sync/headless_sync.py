"""A headless `sync` in its own process, as on a merchant's machine: connect, kill -9, finish.

The sign-in is in the OS keyring so each restarted process finds it: CI runs a
real Secret Service; without one the crash tests cannot run.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiktok_console.stores.keyring_support import usable_backend

needs_secret_service = pytest.mark.skipif(
    usable_backend() is None, reason="needs a Secret Service keyring (CI runs one)"
)


def cli(profile: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tiktok_console", "--profile", str(profile), *args]


def env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def world(control_url: str) -> dict[str, Any]:
    """The sandbox's whole state, as its control endpoint tells it."""
    state: dict[str, Any] = httpx.get(f"{control_url}/state", timeout=30).json()
    return state


def connected_profile(tmp_path: Path, sandbox_line: str, settings: dict[str, Any]) -> Path:
    """A profile with ``settings``, connected to the sandbox that printed ``sandbox_line``."""
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "settings.json").write_text(json.dumps(settings))
    connect = subprocess.run(
        cli(profile, "connect", "--sandbox", "-"), input=sandbox_line, text=True,
        capture_output=True, timeout=120, env=env(),
    )  # fmt: skip
    assert connect.returncode == 0, connect.stderr
    return profile


def kill_repeatedly(profile: Path, kills: int, seed: int, after: tuple[float, float]) -> None:
    """Start `sync` and kill -9 it ``kills`` times, each after a random delay in ``after``."""
    rng = random.Random(seed)
    for _ in range(kills):
        process = subprocess.Popen(
            cli(profile, "sync"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env()
        )
        time.sleep(rng.uniform(*after))
        process.kill()
        process.wait()


def sync_once(profile: Path) -> None:
    """Run `sync --once` to the end; it must succeed."""
    done = subprocess.run(
        cli(profile, "sync", "--once"), capture_output=True, text=True, timeout=600, env=env()
    )
    assert done.returncode == 0, done.stdout + done.stderr
