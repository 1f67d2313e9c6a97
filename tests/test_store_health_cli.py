"""`sync --once` and `status` with the stores unreachable (issue 13, item 1).

The commands run in this process (``cli.main``) with the memory keyring; the
sandbox is this test's own, over real HTTP, and is stopped to make the stores
unreachable (a refused connection, as when a store's host is down).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.in_process_cli import connect, memory_keyring, run  # noqa: F401 (autouse)
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions
from tiktok_console.sync import once
from tiktok_console.sync.health import UNREACHABLE_STREAK


@pytest.fixture
def sandbox() -> Iterator[SandboxRunner]:
    options = WorldOptions(seed=5, products=4, orders=0, orders_per_minute=0)
    with running_sandbox(options) as runner:
        yield runner


def health(capsys: pytest.CaptureFixture[str], profile: Path) -> dict[str, dict[str, str]]:
    code, out, _ = run(capsys, profile, "status", "--json")
    assert code == 0
    return {a["store"]: a for a in json.loads(out)["accounts"]}


def test_the_promise_holds_by_the_retry_policy() -> None:
    """Two stores unreachable cost at most this before their jobs are given up."""
    assert once.RETRY.attempts == UNREACHABLE_STREAK  # one whole call proves a store down
    assert once.worst_case_seconds() < once.PROMISE


def test_sync_once_with_the_stores_down_exits_non_zero_and_says_the_truth(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sandbox: SandboxRunner
) -> None:
    profile = tmp_path / "profile"
    connect(capsys, profile, sandbox)
    code, out, err = run(capsys, profile, "sync", "--once", "--job", "shopify_variants")
    assert code == 0, out + err
    assert out.strip() == "shopify_variants: caught up"
    assert health(capsys, profile)["shopify"]["health"] == "ok"

    sandbox.stop()
    code, out, err = run(capsys, profile, "sync", "--once")
    assert code == 1
    lines = dict(line.split(": ", 1) for line in out.strip().splitlines())
    assert len(lines) >= 8
    assert all(said.startswith("not caught up: ") for said in lines.values()), out
    assert "caught up" not in out.replace("not caught up", "")
    assert "not answering properly" not in out + err
    # Each job needing Shopify is given up once Shopify is found down; payouts needs only
    # TikTok Shop, so it tried it and found it down too.
    assert lines["orders"].startswith("not caught up: Shopify cannot be reached since")
    assert lines["orders"].endswith(": connection refused")
    assert lines["payouts"].startswith("not caught up: TikTok Shop cannot be reached since")
    code, out, _ = run(capsys, profile, "status", "--json")
    report = json.loads(out)
    assert {a["health"] for a in report["accounts"]} == {"unreachable"}
    assert report["no_network"] is True

    code, out, _ = run(capsys, profile, "status")
    assert code == 0
    assert "No network at all" in out
    assert "Shopify cannot be reached since" in out and "TikTok Shop cannot be reached" in out
    assert "Jobs:" in out and "orders: last run failed: Shopify cannot be reached since" in out
    assert "last ran well" not in out  # every job was given up: none is said to be fine
    assert "Today:" in out and "errors" in out
