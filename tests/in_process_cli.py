"""The headless commands run in this process (``cli.main``) with the memory keyring:
one profile, one connect to a test's own sandbox, and the commands' exit code and output."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tiktok_console import cli
from tiktok_console.core.logs import SecretRedactor, setup_logging
from tiktok_console.profile import MEMORY_KEYRING_ENV
from tiktok_console.sandbox.runner import SandboxRunner

FAST = {"orders": {"search_lag_seconds": 0.5, "undo_grace_seconds": 0}}


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv(MEMORY_KEYRING_ENV, "1")
    yield
    setup_logging(tmp_path / "after.log", SecretRedactor())  # let go of the profile's log
    logging.getLogger().setLevel(logging.WARNING)


def run(capsys: pytest.CaptureFixture[str], profile: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--profile", str(profile), *args])
    out, err = capsys.readouterr()
    return code, out, err


def connect(capsys: pytest.CaptureFixture[str], profile: Path, sandbox: SandboxRunner) -> None:
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "settings.json").write_text(json.dumps(FAST))
    line = profile.parent / "sandbox.json"
    line.write_text(sandbox.info().model_dump_json())
    code, out, err = run(capsys, profile, "connect", "--sandbox", str(line))
    assert code == 0, err
    assert "Connected Shopify" in out
