"""`connect --sandbox`, `status --json` and `disconnect` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox.sandbox_process import SandboxProcess
from tiktok_console.stores.keyring_support import usable_backend


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra}
    if usable_backend() is None:
        # No Secret Service here (CI has one): keep the child's tokens in its memory.
        env["TIKTOK_CONSOLE_MEMORY_KEYRING"] = "1"
    return env


def _argv(profile: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tiktok_console", "--profile", str(profile), *args]


def _cli(profile: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _argv(profile, *args),
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
    assert gone.stdout.startswith("shopify_variants: not caught up: Shopify cannot be reached"), (
        gone.stdout
    )


# A browser as $BROWSER runs it: in the foreground, until it exits. "approve" clicks
# Approve and follows the redirect to the console; "print" clicks Approve but only
# notes the address it ends on (a browser on another machine cannot reach 127.0.0.1).
_BROWSER = """#!{python}
import sys, httpx
reply = httpx.post(sys.argv[1], data={{"approve": "1"}}, follow_redirects=False)
location = reply.headers["location"]
if "{mode}" == "approve":
    httpx.get(location, timeout=None).raise_for_status()  # a browser waits for the page
else:
    open("{ended_on}", "w").write(location)
"""


@pytest.fixture(scope="module")
def sandbox_info() -> Iterator[dict[str, Any]]:
    sandbox = SandboxProcess("--print-json", "--products", "5", "--orders-per-minute", "0")
    try:
        yield sandbox.info()
    finally:
        sandbox.kill()


def _browser(tmp_path: Path, mode: str) -> dict[str, str]:
    script = tmp_path / "browser.py"
    ended_on = tmp_path / "ended-on.txt"
    script.write_text(_BROWSER.format(python=sys.executable, mode=mode, ended_on=ended_on))
    script.chmod(0o755)
    return {"BROWSER": str(script)}


def _connect_args(store: str, info: dict[str, Any]) -> tuple[list[str], str]:
    """The `connect <store>` arguments for the sandbox's store, and its secret."""
    if store == "shopify":
        shop = info["shopify"]
        args = ["--shop", shop["shop"], "--client-id", shop["client_id"], "--base-url", shop["url"]]
        return ["connect", "shopify", *args], shop["client_secret"]
    tiktok = info["tiktok"]
    args = ["--app-key", tiktok["app_key"], "--authorize-link", tiktok["authorize_url"],
            "--auth-url", tiktok["auth_url"], "--api-url", tiktok["api_url"]]  # fmt: skip
    return ["connect", "tiktok", *args], tiktok["app_secret"]


TITLES = {"shopify": "Shopify", "tiktok": "TikTok Shop"}


@pytest.mark.parametrize("store", ["shopify", "tiktok"])
def test_connect_with_a_foreground_browser_does_not_hang(
    store: str, sandbox_info: dict[str, Any], tmp_path: Path
) -> None:
    args, secret = _connect_args(store, sandbox_info)
    result = subprocess.run(
        _argv(tmp_path / "p", *args), input=secret + "\n", capture_output=True, text=True,
        timeout=60, env=_env(**_browser(tmp_path, "approve")),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"Connected {TITLES[store]}" in result.stdout
    assert secret not in result.stdout + result.stderr


@pytest.mark.parametrize("store", ["shopify", "tiktok"])
def test_connect_takes_the_pasted_address_on_standard_input(
    store: str, sandbox_info: dict[str, Any], tmp_path: Path
) -> None:
    args, secret = _connect_args(store, sandbox_info)
    ended_on = tmp_path / "ended-on.txt"
    child = subprocess.Popen(
        _argv(tmp_path / "p", *args),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=_env(**_browser(tmp_path, "print")),
    )  # fmt: skip
    assert child.stdin is not None
    try:
        child.stdin.write(secret + "\n")
        child.stdin.flush()
        deadline = time.monotonic() + 30
        while not (ended_on.exists() and ended_on.read_text()):
            assert time.monotonic() < deadline and child.poll() is None, "the browser never ran"
            time.sleep(0.1)
        child.stdin.write(ended_on.read_text() + "\n")  # what the merchant pastes
        child.stdin.flush()
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 0, err
    assert "paste the address" in out and f"Connected {TITLES[store]}" in out


def test_connect_shopify_with_client_credentials_needs_no_browser(
    sandbox_info: dict[str, Any], tmp_path: Path
) -> None:
    args, secret = _connect_args("shopify", sandbox_info)
    no_browser = {"BROWSER": str(tmp_path / "no-such-browser")}
    result = subprocess.run(
        _argv(tmp_path / "p", *args, "--client-credentials"), input=secret + "\n",
        capture_output=True, text=True, timeout=60, env=_env(**no_browser),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Connected Shopify" in result.stdout and "Opening your browser" not in result.stdout


@pytest.mark.parametrize(
    ("stdin", "says"),
    [("not json\n", "is not the JSON line"), ('{"shopify": {}}\n', "lacks shopify.shop"),
     ("", "is not the JSON line")],
)  # fmt: skip
def test_bad_sandbox_input_is_one_line_and_exit_status_2(
    tmp_path: Path, stdin: str, says: str
) -> None:
    done = _cli(tmp_path / "profile", "connect", "--sandbox", "-", stdin=stdin)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], done.stderr


def test_a_missing_sandbox_file_is_one_line_and_exit_status_2(tmp_path: Path) -> None:
    done = _cli(tmp_path / "profile", "connect", "--sandbox", str(tmp_path / "nope.json"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: Cannot read the sandbox line from")
