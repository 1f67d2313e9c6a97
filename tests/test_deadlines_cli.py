"""`deadlines --json` as a user runs it, over a profile with planted rows; sign-in ends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.ui.deadline_rows import CANCEL_ID, RETURN_ID, SHIP_ORDER, H, plant_all
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.domain.accounts import Account
from tiktok_console.profile import Profile, open_profile
from tiktok_console.storage.accounts import save_account
from tiktok_console.stores.tokens import InMemoryKeyring, StoredTokens, TokenStore
from tiktok_console.sync.deadlines import deadline_queue

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
FIELDS = {"kind", "order_id", "request_id", "deadline", "action", "at_zero", "amount"}


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    opened = open_profile(AppPaths.for_profile(tmp_path / "profile").ensure(), SecretRedactor())
    yield opened
    opened.close()


def _cli(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TIKTOK_CONSOLE_MEMORY_KEYRING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tiktok_console", "--profile", str(profile), *args],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_deadlines_json_prints_one_object_per_open_deadline(profile: Profile) -> None:
    plant_all(NOW)
    profile.close()

    result = _cli(profile.paths.data_dir, "deadlines", "--json")

    assert result.returncode == 0, result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(set(item) == FIELDS for item in printed)
    assert [(i["kind"], i["order_id"], i["request_id"]) for i in printed] == [
        ("cancellation_response", "576000000000000002", CANCEL_ID),
        ("ship_by", SHIP_ORDER, None),
        ("return_response", "576000000000000001", RETURN_ID),
    ]
    assert printed[0]["deadline"] == "2026-05-04T14:00:00Z"
    assert printed[2]["at_zero"] == "auto-approves a $24.90 refund"
    assert printed[2]["amount"] == {"amount": "24.90", "currency": "USD"}
    assert printed[1]["action"] == "Ship the order"


def test_deadlines_without_json_reads_as_lines(profile: Profile) -> None:
    profile.close()
    result = _cli(profile.paths.data_dir, "deadlines")
    assert result.returncode == 0 and result.stdout.strip() == "Nothing is due."


def _account(store: str, key: str) -> Account:
    return Account(
        store=store, account_key=key, shop=f"{store}-shop", shop_name="Shop", region="US",  # type: ignore[arg-type]
        scopes=(), app_id="app", api_url="http://127.0.0.1", connected_at=NOW,
        token_expires_at=NOW + H,  # the access token: renewed on its own, not a deadline
    )  # fmt: skip


def test_a_sign_in_ends_when_its_refresh_token_does(profile: Profile) -> None:
    tokens = TokenStore(InMemoryKeyring(), redactor=profile.redactor, namespace="t")
    save_account(_account("tiktok", "tiktok-1"))
    save_account(_account("shopify", "shopify-1"))
    ends = NOW + timedelta(days=20)
    tokens.save("tiktok-1", StoredTokens(access_token="a", access_expires_at=NOW + H,
                                         refresh_token="r", refresh_expires_at=ends))  # fmt: skip
    tokens.save("shopify-1", StoredTokens(access_token="b"))  # a token that never expires

    queue = deadline_queue(tokens)

    assert [item.as_json() for item in queue] == [{
        "kind": "reauthorize", "order_id": "", "request_id": None,
        "deadline": "2026-05-24T12:00:00Z", "action": "Sign in to TikTok Shop again",
        "at_zero": "stops syncing with TikTok Shop until you sign in", "amount": None,
    }]  # fmt: skip
    assert deadline_queue(None) == []
