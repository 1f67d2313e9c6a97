"""The command line as a user runs it: the self-test and its screenshots."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "tiktok_console", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )


def test_self_test_saves_a_screenshot_of_every_page(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    result = _run(
        "--self-test", "--screenshots", str(shots), "--window-size", "1024x640", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in shots.glob("*.png"))
    assert files == [
        "01-overview.png", "02-orders.png", "03-catalog.png", "04-orphans.png",
        "05-inventory.png", "06-deadlines.png", "07-carriers.png", "08-payouts.png",
        "09-activity.png", "10-accounts.png", "11-settings.png", "12-welcome.png",
    ]  # fmt: skip
    image = QImage(str(shots / "01-overview.png"))
    assert (image.width(), image.height()) == (1024, 640)  # --window-size, exactly


def test_a_bad_window_size_is_one_line_and_exit_status_2(tmp_path: Path) -> None:
    result = _run("--window-size", "big", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "is not a size like 1024x640" in result.stderr


def test_demo_self_test_connects_the_sandbox_stores(tmp_path: Path) -> None:
    profile = tmp_path / "demo"
    result = _run("--demo", "--self-test", "--profile", str(profile), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    log = (profile / "logs" / "tiktok-console.log").read_text()
    assert "Connected Shopify: Harbor & Pine Goods (US)" in log
    assert "Connected TikTok Shop: Harbor & Pine Goods (US)" in log


def test_self_test_fails_when_the_database_is_too_new(tmp_path: Path) -> None:
    import sqlite3

    profile = tmp_path / "profile"
    profile.mkdir()
    with sqlite3.connect(profile / "console.sqlite3") as connection:
        connection.execute("PRAGMA user_version = 999")
    result = _run("--self-test", "--profile", str(profile), cwd=tmp_path)
    assert result.returncode != 0
    log = (profile / "logs" / "tiktok-console.log").read_text()
    assert "newer version" in log


def test_help_names_the_commands(tmp_path: Path) -> None:
    result = _run("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--profile" in result.stdout and "--self-test" in result.stdout


def test_sandbox_command_prints_its_connection_json_first(tmp_path: Path) -> None:
    import json
    import signal

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tiktok_console", "sandbox", "--print-json", "--products", "5"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert process.stdout is not None
        info = json.loads(process.stdout.readline())
        assert set(info) == {"shopify", "tiktok", "control_url"}
        assert info["tiktok"]["authorize_url"].startswith("http://127.0.0.1:")
        import httpx

        assert httpx.get(f"{info['control_url']}/state", timeout=10).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
