"""Job state: what the Overview's job rows read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tiktok_console.storage.database import db, open_database
from tiktok_console.storage.jobs import job_states, record_outcome, save_cursor


@pytest.fixture(autouse=True)
def database(tmp_path: Path) -> Iterator[None]:
    opened = open_database(tmp_path / "db.sqlite3")
    yield
    opened.close()
    db.initialize(None)


def test_a_job_without_a_cursor_is_up_to_date_after_its_first_run() -> None:
    record_outcome("inventory_reconcile")
    state = job_states()["inventory_reconcile"]
    assert state.last_success_at is not None and state.last_error == ""


def test_a_failure_keeps_the_last_success_and_says_why() -> None:
    save_cursor("orders", "c1")
    record_outcome("orders")
    succeeded = job_states()["orders"].last_success_at
    record_outcome("orders", "TikTok Shop is not answering")
    state = job_states()["orders"]
    assert state.last_success_at == succeeded
    assert state.last_error == "TikTok Shop is not answering"
    assert state.cursor == "c1"


def test_a_first_run_that_fails_is_not_up_to_date() -> None:
    record_outcome("fulfillment", "Shopify is busy")
    assert job_states()["fulfillment"].last_success_at is None
