"""Headless commands (``connect``, ``disconnect``, ``sync``, ``status``, ``deadlines``,
``returns``, ``cancellations``): arguments.

Registering them imports nothing from the app's layers, so building the CLI's
parser (and running ``tiktok-console sandbox``) never loads sync or storage;
``headless.py`` runs them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

TIKTOK_AUTH_URL = "https://auth.tiktok-shops.com"
TIKTOK_API_URL = "https://open-api.tiktokglobalshop.com"


def add_commands(commands: Any) -> None:
    """Register ``connect``, ``disconnect``, ``sync`` and ``status`` on the CLI's subparsers.

    Each also takes ``--profile`` and ``--debug`` after its name (``sync --once
    --profile DIR``), as well as before it.
    """
    shared = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: when not given here, the value given before the command stays.
    shared.add_argument(
        "--profile", metavar="DIR", type=Path, default=argparse.SUPPRESS,
        help="keep all data in DIR",
    )  # fmt: skip
    shared.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS,
        help="also log debug output to the console",
    )  # fmt: skip
    connect = commands.add_parser(
        "connect", parents=[shared], help="connect a store (opens the browser)"
    )
    connect.add_argument(
        "store", nargs="?", choices=["shopify", "tiktok"], help="the store to connect"
    )
    connect.add_argument(
        "--sandbox",
        metavar="FILE",
        help="connect both sandbox stores from the JSON line `sandbox --print-json` prints "
        "(- reads standard input)",
    )
    connect.add_argument("--shop", help="Shopify: your-store.myshopify.com")
    connect.add_argument("--client-id", help="Shopify: the app's client id")
    connect.add_argument("--base-url", help="Shopify: the shop's URL if not https://<shop>")
    connect.add_argument(
        "--client-credentials",
        action="store_true",
        help="Shopify: your own custom app; get a token with its client id and secret (no browser)",
    )
    connect.add_argument("--app-key", help="TikTok: the app key")
    connect.add_argument("--authorize-link", help="TikTok: the authorization link of the app")
    connect.add_argument("--auth-url", default=TIKTOK_AUTH_URL, help="TikTok: the token host")
    connect.add_argument("--api-url", default=TIKTOK_API_URL, help="TikTok: the Open API host")
    disconnect = commands.add_parser(
        "disconnect",
        parents=[shared],
        help="forget a store and delete its sign-in from the keyring",
    )
    disconnect.add_argument("store", choices=["shopify", "tiktok"])
    sync = commands.add_parser(
        "sync", parents=[shared], help="run the sync jobs headless (until interrupted)"
    )
    sync.add_argument("--once", action="store_true", help="return when every job caught up")
    sync.add_argument("--job", action="append", metavar="NAME", help="run only this job")
    history = commands.add_parser(
        "import-history", parents=[shared],
        help="create TikTok orders shipped before the console was connected in Shopify, "
        "as fulfilled, without changing stock",
    )  # fmt: skip
    history.add_argument(
        "--since", required=True, metavar="YYYY-MM-DD",
        help="import orders placed on or after this day (UTC)",
    )  # fmt: skip
    status = commands.add_parser(
        "status", parents=[shared], help="show connected stores, jobs and counts"
    )
    status.add_argument("--json", action="store_true", help="print JSON (never any token)")
    deadlines = commands.add_parser(
        "deadlines", parents=[shared],
        help="list every open deadline in either store, soonest first",
    )  # fmt: skip
    deadlines.add_argument(
        "--json", action="store_true",
        help="print one JSON object per deadline, one per line (kind, order_id, request_id, "
        "deadline, action, at_zero, amount)",
    )  # fmt: skip
    from tiktok_console.payouts_cli import add_payouts_commands

    add_payouts_commands(commands, shared)
    catalog = commands.add_parser(
        "catalog", parents=[shared], help="show every Shopify product's TikTok listing and problems"
    )
    catalog.add_argument("--json", action="store_true", help="print one JSON object per product")
    for name, what in (("returns", "a return or refund request"),
                       ("cancellations", "a buyer's cancellation request")):  # fmt: skip
        decide = commands.add_parser(name, parents=[shared], help=f"approve or reject {what}")
        decide.add_argument("verb", choices=["approve", "reject"])
        decide.add_argument("request_id", metavar="ID", help="TikTok's request id")
        decide.add_argument("--reason", default="", metavar="CODE",
                            help="a reject reason TikTok offers (listed when missing)")  # fmt: skip
        if name == "returns":
            decide.add_argument("--note", default="", metavar="TEXT", help="a note to TikTok")
            decide.add_argument("--evidence", action="append", default=[], metavar="FILE",
                                help="an image (JPEG, PNG, WEBP; at most 6) shown with a "
                                     "rejection; repeat for more")  # fmt: skip
