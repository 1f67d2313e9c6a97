"""Running the headless commands (``commands.py`` declares their arguments).

Each opens the profile the same way the GUI does, does its one job, and
returns an exit status. Secrets are read from a prompt or standard input,
never from the command line (which other users can see in the process list).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import signal
import sys
import threading
import webbrowser
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from tiktok_console.core.errors import ConsoleError
from tiktok_console.profile import Profile, open_profile, resolve_paths, start_logging
from tiktok_console.sync.accounts import AccountService, PasteTarget
from tiktok_console.sync.events import Event, JobStateChanged
from tiktok_console.sync.runtime import build_engine
from tiktok_console.sync.status import status_report


def run_command(args: argparse.Namespace) -> int:
    """Run ``connect``, ``disconnect`` or ``status``; returns the exit status."""
    paths = resolve_paths(args.profile)
    redactor = start_logging(paths, args.debug)
    try:
        profile = open_profile(paths, redactor)
    except ConsoleError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    try:
        if args.command == "status":
            return _status(args)
        if args.command == "catalog":
            return _catalog(args)
        if args.command == "sync":
            return asyncio.run(_sync(args, profile))
        if args.command == "disconnect":
            AccountService(profile.token_store(), httpx.AsyncClient()).disconnect(args.store)
            print(f"Disconnected {args.store}.")
            return 0
        return asyncio.run(_connect(args, profile))
    except ConsoleError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    finally:
        profile.close()


async def _sync(args: argparse.Namespace, profile: Profile) -> int:
    async with httpx.AsyncClient(timeout=30) as http:
        engine = build_engine(profile.settings, profile.token_store(), http, listener=_print_event)
        names = args.job or engine.names
        unknown = sorted(set(names) - set(engine.names))
        if unknown:
            raise ConsoleError(
                f"No job named {', '.join(unknown)}; jobs: {', '.join(engine.names)}."
            )
        if args.once:
            results = await engine.run_until_caught_up(names)
            for name, error in results.items():
                print(f"{name}: {'caught up' if not error else 'failed: ' + error}")
            return 0 if not any(results.values()) else 1
        engine.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        await engine.stop()
        return 0


def _catalog(args: argparse.Namespace) -> int:
    from tiktok_console.storage.catalog.report import catalog_objects

    objects = catalog_objects()
    if args.json:
        print(json.dumps(objects, indent=2))
        return 0
    for found in objects:
        problems = sum(1 for p in found["problems"] if p["blocking"])
        print(f"{found['state']:<13} {found['title'][:60]}  ({problems} blocking problem(s))")
    if not objects:
        print("No products yet: run `tiktok-console sync --once --job catalog`.")
    return 0


def _print_event(event: Event) -> None:
    if isinstance(event, JobStateChanged) and event.state == "backing_off":
        print(f"{event.job}: {event.detail} (retrying)", file=sys.stderr)


def _status(args: argparse.Namespace) -> int:
    report = status_report()
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for account in report["accounts"]:
        print(
            f"{account['store']}: {account['shop_name']} ({account['shop']}, {account['region']})"
        )
    if not report["accounts"]:
        print("No store connected. Run `tiktok-console connect` or open the app.")
    return 0


async def _connect(args: argparse.Namespace, profile: Profile) -> int:
    async with httpx.AsyncClient(timeout=30) as http:
        service = AccountService(profile.token_store(), http)
        if args.sandbox:
            info = json.loads(_read_json_line(args.sandbox))
            for account in await service.connect_sandbox(info):
                print(f"Connected {account.title}: {account.shop_name} ({account.region})")
            return 0
        if args.store == "shopify":
            account = await _connect_shopify(args, service)
        elif args.store == "tiktok":
            account = await _connect_tiktok(args, service)
        else:
            raise ConsoleError("Say which store to connect (shopify or tiktok), or use --sandbox.")
        print(f"Connected {account.title}: {account.shop_name} ({account.region})")
        return 0


async def _connect_shopify(args: argparse.Namespace, service: AccountService) -> Any:
    if not (args.shop and args.client_id):
        raise ConsoleError("Shopify needs --shop and --client-id (the secret is asked for).")
    secret = _secret("Shopify client secret: ")
    base_url = args.base_url or f"https://{args.shop}"
    if args.client_credentials:
        return await service.connect_shopify_client_credentials(
            shop=args.shop, shop_base_url=base_url, client_id=args.client_id, client_secret=secret
        )
    return await service.connect_shopify(
        _browser(), shop=args.shop, shop_base_url=base_url,
        client_id=args.client_id, client_secret=secret, on_waiting=_paste_from_stdin,
    )  # fmt: skip


async def _connect_tiktok(args: argparse.Namespace, service: AccountService) -> Any:
    if not (args.app_key and args.authorize_link):
        raise ConsoleError("TikTok needs --app-key and --authorize-link (the secret is asked for).")
    secret = _secret("TikTok app secret: ")
    return await service.connect_tiktok(
        _browser(), authorize_link=args.authorize_link, auth_url=args.auth_url,
        api_url=args.api_url, app_key=args.app_key, app_secret=secret,
        on_waiting=_paste_from_stdin,
    )  # fmt: skip


def _browser() -> Callable[[str], Awaitable[None] | None]:
    def show(url: str) -> None:
        print(f"Opening your browser to sign in. If it does not open, visit:\n  {url}", flush=True)
        # A text browser (lynx) or a $BROWSER command runs until it exits; on the event
        # loop it would block the listener its own redirect must reach.
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    return show


def _paste_from_stdin(paste: PasteTarget) -> None:
    """Offer each line typed on standard input as the address the browser ended on.

    The fallback for a browser that cannot reach this machine's listener (it runs
    elsewhere, or ends on an error page). A daemon thread reads, so a blocked read
    never keeps the command from exiting once the browser's redirect arrived.
    """
    loop = asyncio.get_running_loop()
    print(
        "If the browser cannot reach the console, paste the address it ended on here:",
        flush=True,
    )

    def offer(line: str) -> None:
        try:
            paste(line)
        except ConsoleError as error:
            print(f"error: {error.message}", file=sys.stderr, flush=True)

    def read() -> None:
        for line in iter(sys.stdin.readline, ""):
            if not line.strip():
                continue
            try:
                loop.call_soon_threadsafe(offer, line)
            except RuntimeError:  # the sign-in is over and its loop closed
                return

    threading.Thread(target=read, daemon=True, name="paste-reader").start()


def _secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def _read_json_line(source: str) -> str:
    if source == "-":
        return sys.stdin.readline()
    return Path(source).read_text(encoding="utf-8").splitlines()[0]
