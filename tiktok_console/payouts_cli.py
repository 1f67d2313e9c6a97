"""The payouts commands: ``import-settlement FILE...`` and ``payouts --json``.

Both work offline on the profile's database: an export reconciles with no
network. Arguments are declared here (imported by ``commands.py``) and run
from ``headless.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tiktok_console.core.settings import PayoutSettings

COMMANDS = ("import-settlement", "payouts")


def add_payouts_commands(commands: Any, shared: argparse.ArgumentParser) -> None:
    """Register ``import-settlement`` and ``payouts``."""
    importing = commands.add_parser(
        "import-settlement", parents=[shared],
        help="import Seller Center settlement exports (XLSX or CSV) and reconcile",
    )  # fmt: skip
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importing.add_argument("--currency", help="the shop's currency, for rows that name none")
    importing.add_argument("--json", action="store_true", help="print what was imported as JSON")
    payouts = commands.add_parser(
        "payouts", parents=[shared], help="print statements, reconciled orders and adjustments"
    )
    payouts.add_argument("--json", action="store_true", help="print JSON")


def run_payouts_command(args: argparse.Namespace, rates: PayoutSettings | None = None) -> int:
    """Runs one of the payouts commands on an open profile (``rates``: its fee-rate settings)."""
    from tiktok_console.storage.accounts import load_accounts
    from tiktok_console.sync.payouts.reconciling import refresh_results
    from tiktok_console.sync.payouts.report_json import payouts_json
    from tiktok_console.sync.payouts.settlement_report import SettlementReadError

    account = load_accounts().get("tiktok")
    region = (account.region if account else "") or "US"
    if args.command == "import-settlement":
        from tiktok_console.sync.payouts.importing import import_settlements

        try:
            result = import_settlements(
                args.files, region=region, currency=args.currency, rates=rates
            )
        except SettlementReadError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        report: list[dict[str, Any]] = [
            {
                "file": f.path, "lines": f.lines, "added": f.added,
                "already_known": f.already_known, "conflicts": len(f.conflicts),
                "unknown_columns": list(f.report.unknown_columns),
                "lost_digits": [d.shown for d in f.report.lost_digits],
                "duplicate_lines": f.report.duplicate_lines,
            }
            for f in result.files
        ]  # fmt: skip
        if args.json:
            print(
                json.dumps({"files": report, "unexplained": str(result.summary.unexplained_total)})
            )
            return 0
        for f in report:
            print(f"{f['file']}: {f['lines']} lines, {f['added']} new, "
                  f"{f['already_known']} already known, {f['conflicts']} disagree")  # fmt: skip
            if f["unknown_columns"]:
                print(f"  columns not known: {', '.join(f['unknown_columns'])}")
        print(
            f"{result.summary.unexplained} unexplained, {result.summary.unexplained_total} in all"
        )
        return 0
    refresh_results(region, rates)
    data = payouts_json()
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    for s in data["statements"]:
        print(f"{s['statement_time'][:10]} {s['statement_id']} {s['settlement_amount']} "
              f"{s['currency']} ({s['source']})")  # fmt: skip
    unexplained = [o for o in data["orders"] if o["status"] == "unexplained"]
    print(f"{len(data['orders'])} orders, {len(unexplained)} unexplained")
    return 0
