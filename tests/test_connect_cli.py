"""`connect --sandbox`, `status --json` and `disconnect` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sandbox.sandbox_process import SandboxProcess
from tiktok_console.stores.keyring_support import usable_backend


def _env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if usable_backend() is None:
        # No Secret Service here (CI has one): keep the child's tokens in its memory.
        env["TIKTOK_CONSOLE_MEMORY_KEYRING"] = "1"
    return env


def _cli(profile: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tiktok_console", "--profile", str(profile), *args],
        input=stdin, capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip


def test_connect_sandbox_then_status_then_disconnect(tmp_path: Path) -> None:
    sandbox = SandboxProcess("--print-json", "--products", "5", "--orders-per-minute", "0")
    try:
        line = sandbox.first_line()
        profile = tmp_path / "profile"
        connected = _cli_after(profile, "connect", "--sandbox", "-", stdin=line)
        assert connected.returncode == 0, connected.stderr
        assert (
            "Connected Shopify" in connected.stdout and "Connected TikTok Shop" in connected.stdout
        )

        status = _cli_after(profile, "status", "--json")
        assert status.returncode == 0, status.stderr
        report = json.loads(status.stdout)
        stores = {a["store"]: a for a in report["accounts"]}
        assert set(stores) == {"shopify", "tiktok"}
        assert stores["shopify"]["region"] == "US" and stores["tiktok"]["region"] == "US"
        assert stores["shopify"]["token_expires_at"]
        assert "token" not in json.dumps(report).replace("token_expires_at", "")
        info = json.loads(line)
        assert info["tiktok"]["app_secret"] not in status.stdout

        for store in ("shopify", "tiktok"):
            assert _cli(profile, "disconnect", store).returncode == 0
        after = json.loads(_cli(profile, "status", "--json").stdout)
        assert after["accounts"] == []
    finally:
        sandbox.kill()


def test_connect_without_a_store_explains_itself(tmp_path: Path) -> None:
    result = _cli(tmp_path / "p", "connect")
    assert result.returncode == 1
    assert "shopify or tiktok" in result.stderr


def _cli_after(profile: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The command first, then ``--profile``: both orders work."""
    return subprocess.run(
        [sys.executable, "-m", "tiktok_console", *args, "--profile", str(profile)],
        input=stdin, capture_output=True, text=True, timeout=180, env=_env(),
    )  # fmt: skip


needs_keyring = pytest.mark.skipif(
    usable_backend() is None, reason="sync in a second process reads the sign-in from the keyring"
)


@needs_keyring
def test_sync_once_runs_the_named_job_and_fails_when_the_store_is_gone(tmp_path: Path) -> None:
    sandbox = SandboxProcess("--print-json", "--products", "5", "--orders-per-minute", "0")
    profile = tmp_path / "profile"
    try:
        connected = _cli(profile, "connect", "--sandbox", "-", stdin=sandbox.first_line())
        assert connected.returncode == 0, connected.stderr

        ran = _cli_after(profile, "sync", "--once", "--job", "shopify_variants")
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout.splitlines() == ["shopify_variants: caught up"]  # that job only

        unknown = _cli_after(profile, "sync", "--once", "--job", "nosuch")
        assert unknown.returncode == 1 and "No job named nosuch" in unknown.stderr
    finally:
        sandbox.kill()
    gone = _cli_after(profile, "sync", "--once", "--job", "shopify_variants")
    assert gone.returncode == 1
    assert gone.stdout.startswith("shopify_variants: failed"), gone.stdout
