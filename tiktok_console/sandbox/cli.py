"""``tiktok-console sandbox``: run both simulated stores until interrupted.

The main CLI registers these arguments and calls ``run_sandbox``; the module
also runs on its own (``python -m tiktok_console.sandbox.cli``). With
``--print-json`` the first stdout line is the ``SandboxInfo`` JSON, flushed at
once, so a parent process (a test, a script, another console) can read the
URLs and credentials and connect.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any

from pydantic import ValidationError

from tiktok_console.sandbox.runner import SandboxInfo, SandboxRunner
from tiktok_console.sandbox.world import WorldOptions

_PLANS = ["standard", "advanced", "plus", "enterprise"]


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sandbox's options to ``parser``."""
    defaults = WorldOptions()
    parser.add_argument("--seed", type=int, default=defaults.seed, help="world seed")
    parser.add_argument("--products", type=int, default=defaults.products, metavar="N")
    parser.add_argument(
        "--orders", type=int, default=defaults.orders, metavar="N", help="historical orders"
    )
    parser.add_argument(
        "--orders-per-minute", type=float, default=defaults.orders_per_minute, metavar="R"
    )
    parser.add_argument("--livestream", action="store_true", help="start in a livestream burst")
    number = _float_option(parser)
    number("--hold-minutes", defaults.hold_minutes, "M", "how long TikTok holds a paid order")
    number("--clock-start", None, "UNIX", "sandbox clock's start time (default: now)")
    number("--warehouse-minutes", defaults.warehouse_minutes, "M",
           "how long the Shopify warehouse takes to ship an order")  # fmt: skip
    number("--fault-rate", defaults.fault_rate, "P", "share of store requests that fail (0..1)")
    number("--seller-center-ship-share", defaults.seller_center_ship_share, "P",
           "share of new seller-fulfilled orders shipped from Seller Center (0..1)")  # fmt: skip
    parser.add_argument(
        "--settle-days", type=int, default=defaults.settle_days, metavar="D",
        help="days after delivery an order settles into a statement",
    )  # fmt: skip
    parser.add_argument(
        "--finance-discrepancies", type=int, default=defaults.finance_discrepancies,
        metavar="N", help="settlements planted short beyond the two every world has",
    )  # fmt: skip
    number("--unlisted-share", defaults.unlisted_share, "P",
           "share of Shopify products not yet on TikTok (0..1)")  # fmt: skip
    parser.add_argument(
        "--daily-listing-cap",
        type=int,
        default=defaults.daily_listing_cap,
        metavar="N",
        help="new products TikTok accepts per day (resets at the shop's midnight)",
    )
    parser.add_argument(
        "--faults",
        type=_json_object,
        default={},
        metavar="JSON",
        help="fault knobs from the start, as POST /faults takes them, e.g. "
        '\'{"tiktok": {"error_rate": 0.2, "http_429": 1}}\' (applied after --fault-rate)',
    )
    parser.add_argument("--shopify-plan", choices=_PLANS, default=defaults.shopify_plan)
    parser.add_argument("--dev-store", action="store_true", help="Shopify development store limits")
    parser.add_argument(
        "--print-json", action="store_true", help="print the connection info as one JSON line"
    )


def _float_option(parser: argparse.ArgumentParser) -> Callable[[str, float | None, str, str], None]:
    """Adds a numeric option: flag, default, metavar, help."""

    def add(flag: str, default: float | None, metavar: str, text: str) -> None:
        parser.add_argument(flag, type=float, default=default, metavar=metavar, help=text)

    return add


def options_from_args(args: argparse.Namespace) -> WorldOptions:
    """The world options the parsed arguments ask for (validated)."""
    return WorldOptions(
        seed=args.seed,
        products=args.products,
        orders=args.orders,
        orders_per_minute=args.orders_per_minute,
        livestream=args.livestream,
        hold_minutes=args.hold_minutes,
        clock_start=args.clock_start,
        warehouse_minutes=args.warehouse_minutes,
        fault_rate=args.fault_rate,
        seller_center_ship_share=args.seller_center_ship_share,
        settle_days=args.settle_days,
        finance_discrepancies=args.finance_discrepancies,
        unlisted_share=args.unlisted_share,
        daily_listing_cap=args.daily_listing_cap,
        faults=args.faults,
        shopify_plan=args.shopify_plan,
        dev_store=args.dev_store,
    )


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return value


def run_sandbox(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM; returns the process exit code."""
    # Bulk exports run on worker threads (Shopify runs them on other machines): a
    # short switch interval keeps the stores answering while one runs, instead of
    # each request waiting the default 5 ms for the interpreter at every step.
    sys.setswitchinterval(0.0005)
    try:
        options = options_from_args(args)
    except ValidationError as error:
        for problem in error.errors(include_url=False):
            option, *inside = (str(p) for p in problem["loc"])
            where = ".".join(["--" + option.replace("_", "-"), *inside])  # JSON keys as given
            print(f"tiktok-console sandbox: {where}: {problem['msg']}", file=sys.stderr)
        return 2
    stop = threading.Event()
    runner = SandboxRunner(options)
    with _stop_on_signals(stop):
        info = runner.start()
        try:
            if args.print_json:
                print(info.model_dump_json(), flush=True)
            else:
                print(describe(info, options), flush=True)
            while not stop.wait(0.5):
                pass
        finally:
            runner.stop()
    return 0


def describe(info: SandboxInfo, options: WorldOptions) -> str:
    """A short human-readable summary: where to connect and with what."""
    shopify, tiktok = info.shopify, info.tiktok
    return "\n".join(
        [
            f"Sandbox running (seed {options.seed}, {options.products} products). Ctrl+C stops it.",
            f"Shopify   {shopify.url}  shop {shopify.shop}  API {shopify.api_version}",
            f"          client_id {shopify.client_id}",
            f"          client_secret {shopify.client_secret}",
            f"TikTok    API {tiktok.api_url}  tokens {tiktok.auth_url}",
            f"          region {tiktok.shop_region}",
            f"          authorize {tiktok.authorize_url}",
            f"          app_key {tiktok.app_key}  service_id {tiktok.service_id}",
            f"          app_secret {tiktok.app_secret}",
            f"Control   {info.control_url}/state",
        ]
    )


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Turn SIGINT/SIGTERM into ``stop.set()`` (only possible on the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous: dict[signal.Signals, Any] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox command on its own."""
    parser = argparse.ArgumentParser(prog="tiktok-console sandbox")
    add_sandbox_arguments(parser)
    return run_sandbox(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
