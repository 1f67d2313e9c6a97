"""The payouts commands as a merchant runs them, offline: import an export, print the payouts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from tests.sync.payouts.export_files import ORDER_A, TOTALS, awkward_export


def _run(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # No proxy and no network: the import must not need one.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HTTPS_PROXY": "http://127.0.0.1:9"}
    return subprocess.run(
        [sys.executable, "-m", "tiktok_console", "--profile", str(profile), *args],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_an_export_imported_twice_counts_once_and_payouts_json_has_the_issue_shape(
    tmp_path: Path,
) -> None:
    export = awkward_export(tmp_path / "statement.xlsx")
    profile = tmp_path / "profile"
    first = _run(profile, "import-settlement", str(export), "--currency", "USD", "--json")
    assert first.returncode == 0, first.stderr
    [imported] = json.loads(first.stdout)["files"]
    assert imported["added"] == imported["lines"] > 0
    assert imported["unknown_columns"] and imported["lost_digits"]
    again = _run(profile, "import-settlement", str(export), "--currency", "USD", "--json")
    [second] = json.loads(again.stdout)["files"]
    assert (second["added"], second["already_known"]) == (0, imported["lines"])
    shown = _run(profile, "payouts", "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert set(data) == {"statements", "orders", "adjustments", "months"}
    assert all(m["balanced"] for m in data["months"]) and data["months"]
    order = next(o for o in data["orders"] if o["order_id"] == ORDER_A[0])
    assert set(order) == {
        "order_id", "shopify_order", "settled", "expected", "variance", "status", "causes",
    }  # fmt: skip
    # Neither store knows the export's orders (no account): each is unexplained, with its money.
    assert order["status"] == "unexplained" and order["shopify_order"] is None
    assert order["causes"] == [{"cause": "unexplained", "amount": order["settled"]}]
    [adjustment] = data["adjustments"]
    assert adjustment["amount"] == "-4.50" and adjustment["type"]
    settled = sum(Decimal(o["settled"]) for o in data["orders"])
    assert settled + Decimal(adjustment["amount"]) == TOTALS["settlement"]


def test_an_unreadable_file_is_an_error_and_nothing_is_kept(tmp_path: Path) -> None:
    broken = tmp_path / "statement.xlsx"
    broken.write_text("not a workbook")
    result = _run(tmp_path / "profile", "import-settlement", str(broken))
    assert result.returncode == 1 and "error:" in result.stderr
    shown = json.loads(_run(tmp_path / "profile", "payouts", "--json").stdout)
    assert shown == {"statements": [], "orders": [], "adjustments": [], "months": []}
