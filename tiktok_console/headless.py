"""Running the headless commands (``commands.py`` declares their arguments).

Each opens the profile the same way the GUI does, does its one job, and
returns an exit status. Secrets are read from a prompt or standard input,
never from the command line (which other users can see in the process list).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import logging
import signal
import sys
import threading
import traceback
import webbrowser
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from tiktok_console.core.errors import ConsoleError, ProfileUnavailableError
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.settings import SettingsUnwritableError
from tiktok_console.domain.accounts import STORE_TITLES
from tiktok_console.domain.store_health import describe
from tiktok_console.payouts_cli import COMMANDS as PAYOUTS_COMMANDS
from tiktok_console.payouts_cli import run_payouts_command
from tiktok_console.profile import Profile, open_profile, resolve_paths, start_logging
from tiktok_console.storage.errors import DatabaseUnavailableError
from tiktok_console.storage.jobs import record_outcome
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync import once
from tiktok_console.sync.accounts import AccountService, PasteTarget
from tiktok_console.sync.events import (
    EngineStarted,
    EngineStopped,
    Event,
    HealthChanged,
    JobState,
    JobStateChanged,
    ReconnectNeeded,
)
from tiktok_console.sync.health import HealthTracker
from tiktok_console.sync.runtime import (
    NotConnectedError,
    RuntimeOptions,
    build_engine,
    missing_stores,
)
from tiktok_console.sync.status import status_report, status_text
from tiktok_console.sync.supervisor import Supervisor

log = logging.getLogger(__name__)


# Exit statuses: 1 a command that failed (a store refused, a job failed);
# 2 the profile or its storage cannot be used (read-only, disk full, too new).
_STORAGE_FAULTS: tuple[type[ConsoleError], ...] = (
    ProfileUnavailableError,
    SettingsUnwritableError,
    DatabaseUnavailableError,
)


def run_command(args: argparse.Namespace) -> int:
    """Run a headless command (``connect``, ``status``, ``deadlines``…); returns the exit status."""
    redactor = SecretRedactor()  # until logging starts; then the profile's own
    try:
        paths = resolve_paths(args.profile)
        redactor = start_logging(paths, args.debug)
        profile = open_profile(paths, redactor)
    except ConsoleError as error:
        return _fail(error, redactor, status=2)
    for problem in profile.problems:
        print(f"warning: {redactor.redact(problem)}", file=sys.stderr)
    try:
        if args.command == "status":
            return _status(args)
        if args.command == "deadlines":
            return _deadlines(args, profile)
        if args.command in PAYOUTS_COMMANDS:
            return run_payouts_command(args, profile.settings.payouts)
        if args.command == "catalog":
            return _catalog(args)
        if args.command in ("returns", "cancellations"):
            return asyncio.run(_decide(args, profile))
        if args.command == "sync":
            return asyncio.run(_sync(args, profile))
        if args.command == "import-history":
            return asyncio.run(_import_history(args, profile))
        if args.command == "disconnect":
            return _disconnect(args, profile)
        return asyncio.run(_connect(args, profile))
    except BadInput as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    except ConsoleError as error:
        return _fail(error, redactor, status=2 if isinstance(error, _STORAGE_FAULTS) else 1)
    except Exception:  # a bug: the log keeps the traceback; the terminal a redacted one
        log.exception("The %s command failed", args.command)
        print(redactor.redact(traceback.format_exc()), file=sys.stderr)
        return 1
    finally:
        profile.close()


def _fail(error: ConsoleError, redactor: SecretRedactor, status: int) -> int:
    print(f"error: {redactor.redact(error.message)}", file=sys.stderr)
    return status


def _disconnect(args: argparse.Namespace, profile: Profile) -> int:
    outcome = AccountService(profile.token_store(), httpx.AsyncClient()).disconnect(args.store)
    if outcome is None:
        print(f"No {args.store} account is connected in this profile; nothing to remove.")
        return 0
    if outcome:
        print(f"Disconnected {args.store}, but could not remove from the keyring: "
              f"{'; '.join(outcome)}. Remove them with your keyring's own tool.")  # fmt: skip
        return 1
    print(f"Disconnected {args.store}; its sign-in is removed from the keyring.")
    return 0


async def _sync(args: argparse.Namespace, profile: Profile) -> int:
    if args.once:
        return await _sync_once(args, profile)
    missing = missing_stores()
    if missing:
        raise NotConnectedError(missing)
    # The app's supervisor: a store connected or disconnected from another process
    # (or the app) changes what this process syncs within seconds.
    supervisor = Supervisor(
        profile.settings, profile.token_store(), listener=_print_event, only=args.job
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await supervisor.run(stop)
    return 0


async def _sync_once(args: argparse.Namespace, profile: Profile) -> int:
    """Every job until caught up; a store down ends the jobs that need it (exit 1)."""
    health = HealthTracker(_print_event)
    async with httpx.AsyncClient(timeout=once.TIMEOUT) as http:
        engine = build_engine(
            profile.settings, profile.token_store(), http, listener=_print_event,
            options=RuntimeOptions(retry=once.RETRY), only=args.job, health=health,
        )  # fmt: skip
        give_up = once.give_up(engine, health, asyncio.get_running_loop().time)
        results = await _until_caught_up(engine.run_until_caught_up(give_up=give_up), profile)
        for name, error in results.items():
            print(f"{name}: {'caught up' if not error else 'not caught up: ' + error}")
            if error:  # also a job given up before it ran: `status` must not say it is fine
                record_outcome(name, error)
        return 0 if not any(results.values()) else 1


async def _import_history(args: argparse.Namespace, profile: Profile) -> int:
    """Read Shopify's variants and TikTok's orders first (so history is known and its SKUs
    can map), then import the orders placed since the date."""
    from tiktok_console.sync.orders.history import import_history_now, parse_since

    try:
        since = parse_since(args.since)
    except ValueError:
        raise BadInput(f"--since takes a day as YYYY-MM-DD, not {args.since!r}.") from None
    token_store = profile.token_store()
    async with httpx.AsyncClient(timeout=30) as http:
        jobs = ["shopify_variants", "orders"]
        engine = build_engine(profile.settings, token_store, http, only=jobs)
        pulled = await _until_caught_up(engine.run_until_caught_up(), profile)
    failed = {job: error for job, error in pulled.items() if error}
    if failed:
        for job, error in failed.items():
            print(f"error: {job} could not be read: {error}", file=sys.stderr)
        return 1

    def show(done: int, total: int, _what: str) -> None:
        print(f"{done} of {total} orders looked at", file=sys.stderr, flush=True)

    report = await asyncio.to_thread(import_history_now, token_store, profile.settings, since, show)
    print(report.summary())
    return 1 if report.failed else 0


# Faults that do not clear while a command waits: retrying only repeats the message.
_LASTING_FAULTS = ("full", "read-only", "vanished", "io")


async def _until_caught_up(run: Coroutine[Any, Any, dict[str, str]], profile: Profile) -> Any:
    """The jobs' results; a storage fault ends the run at once, as one clear error.

    Raises:
        DatabaseUnavailableError: the database became unusable (exit status 2).
    """
    task = asyncio.ensure_future(run)
    while not task.done():
        await asyncio.wait({task}, timeout=0.1)
        fault = getattr(profile.database, "last_fault", None)
        if fault is not None and fault.kind in _LASTING_FAULTS and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            raise fault
    results: dict[str, str] = task.result()
    fault = getattr(profile.database, "last_fault", None)
    if fault is not None and any(results.values()):
        raise fault  # the storage is the cause: one sentence, exit status 2
    return results


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
    if isinstance(event, JobStateChanged) and event.error is not None:
        if event.state is JobState.BACKING_OFF:
            print(f"{event.job}: {event.error.message} (retrying)", file=sys.stderr, flush=True)
    elif isinstance(event, ReconnectNeeded):
        print(f"{event.error.message}", file=sys.stderr, flush=True)
    elif isinstance(event, EngineStarted):
        print(f"Syncing: {', '.join(event.jobs)}", file=sys.stderr, flush=True)
    elif isinstance(event, EngineStopped):
        print(f"Sync stopped: {event.reason}", file=sys.stderr, flush=True)
    elif isinstance(event, HealthChanged):
        title = STORE_TITLES[event.store]
        print(describe(title, event.health, datetime.now(UTC)), file=sys.stderr, flush=True)


def _status(args: argparse.Namespace) -> int:
    report = status_report()
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print("\n".join(status_text(report)))
    return 0


def _deadlines(args: argparse.Namespace, profile: Profile) -> int:
    from tiktok_console.sync.deadlines import deadline_queue

    try:
        token_store: TokenStore | None = profile.token_store()
    except ConsoleError as error:  # no keyring: the sign-ins' ends are unknown, the rest is not
        print(f"warning: sign-ins not read: {error.message}", file=sys.stderr)
        token_store = None
    queue = deadline_queue(token_store)
    if args.json:
        for item in queue:
            print(json.dumps(item.as_json()))
        return 0
    if not queue:
        print("Nothing is due.")
    for item in queue:
        what = f"order {item.order_id}" if item.order_id else ""
        what += f" request {item.request_id}" if item.request_id else ""
        when = item.deadline.astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"{when}  {item.kind.value:<22} {what.strip():<40} {item.action}")
    return 0


async def _decide(args: argparse.Namespace, profile: Profile) -> int:
    from tiktok_console.sync.aftersales.decisions import Kind
    from tiktok_console.sync.aftersales.headless_decisions import run_decision

    kind = Kind.RETURN if args.command == "returns" else Kind.CANCELLATION
    return await run_decision(kind, args.verb, args.request_id, args.reason,
                              getattr(args, "note", ""), profile.token_store(),
                              tuple(getattr(args, "evidence", None) or ()))  # fmt: skip


async def _connect(args: argparse.Namespace, profile: Profile) -> int:
    async with httpx.AsyncClient(timeout=30) as http:
        service = AccountService(profile.token_store(), http)
        if args.sandbox:
            info = sandbox_info(args.sandbox)
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


class BadInput(ConsoleError):
    """The command's input is unusable: said in one line, exit status 2 (a usage error)."""


_SANDBOX_KEYS = {
    "shopify": ("shop", "url", "client_id", "client_secret"),
    "tiktok": ("authorize_url", "auth_url", "api_url", "app_key", "app_secret"),
}


def sandbox_info(source: str) -> dict[str, Any]:
    """The JSON line ``sandbox --print-json`` printed, checked; ``BadInput`` says what is wrong."""
    where = "standard input" if source == "-" else source
    try:
        line = _read_json_line(source)
    except (OSError, IndexError, UnicodeDecodeError) as error:
        raise BadInput(f"Cannot read the sandbox line from {where}: {error}") from error
    try:
        info = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadInput(
            f"{where} is not the JSON line `tiktok-console sandbox --print-json` prints "
            f"({error.msg} at column {error.colno})."
        ) from error
    missing = [
        f"{store}.{key}"
        for store, keys in _SANDBOX_KEYS.items()
        for key in keys
        if not isinstance(info, dict)
        or not isinstance(info.get(store), dict)
        or not isinstance(info[store].get(key), str)
    ]
    if missing:
        raise BadInput(
            f"The sandbox line from {where} lacks {', '.join(missing)}: pass the line "
            "`tiktok-console sandbox --print-json` prints."
        )
    return dict(info)


def _read_json_line(source: str) -> str:
    if source == "-":
        return sys.stdin.readline()
    return Path(source).read_text(encoding="utf-8").splitlines()[0]
