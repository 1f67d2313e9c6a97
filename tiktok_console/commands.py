"""Headless commands: ``connect``, ``disconnect``, ``sync`` and ``status``: their arguments.

Registering them imports nothing from the app's layers, so building the CLI's
parser (and running ``tiktok-console sandbox``) never loads sync or storage;
``headless.py`` runs them.
"""

from __future__ import annotations

from typing import Any

TIKTOK_AUTH_URL = "https://auth.tiktok-shops.com"
TIKTOK_API_URL = "https://open-api.tiktokglobalshop.com"


def add_commands(commands: Any) -> None:
    """Register ``connect``, ``disconnect``, ``sync`` and ``status`` on the CLI's subparsers."""
    connect = commands.add_parser("connect", help="connect a store (opens the browser)")
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
    connect.add_argument("--app-key", help="TikTok: the app key")
    connect.add_argument("--authorize-link", help="TikTok: the authorization link of the app")
    connect.add_argument("--auth-url", default=TIKTOK_AUTH_URL, help="TikTok: the token host")
    connect.add_argument("--api-url", default=TIKTOK_API_URL, help="TikTok: the Open API host")
    disconnect = commands.add_parser(
        "disconnect", help="forget a store and delete its sign-in from the keyring"
    )
    disconnect.add_argument("store", choices=["shopify", "tiktok"])
    sync = commands.add_parser("sync", help="run the sync jobs headless (until interrupted)")
    sync.add_argument("--once", action="store_true", help="return when every job caught up")
    sync.add_argument("--job", action="append", metavar="NAME", help="run only this job")
    status = commands.add_parser("status", help="show connected stores, jobs and counts")
    status.add_argument("--json", action="store_true", help="print JSON (never any token)")
