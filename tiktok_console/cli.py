"""Command line: parses arguments and hands over to ``app`` (or a headless command)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser; each headless command is a subcommand."""
    parser = argparse.ArgumentParser(
        prog="tiktok-console",
        description="Operations console for merchants selling on TikTok Shop and Shopify.",
    )
    parser.add_argument("--profile", metavar="DIR", type=Path, help="keep all data in DIR")
    parser.add_argument("--debug", action="store_true", help="also log debug output to the console")
    parser.add_argument(
        "--theme", choices=["system", "light", "dark"], help="override the appearance setting"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start offscreen with a temporary profile, open every page, exit 0 if no error",
    )
    parser.add_argument(
        "--screenshots", metavar="DIR", type=Path, help="with --self-test: save a PNG per page"
    )
    parser.add_argument(
        "--settle",
        metavar="SECONDS",
        type=float,
        default=0.0,
        help="with --self-test: let sync run this long after its first pass (fuller screenshots)",
    )
    parser.add_argument(
        "--window-size",
        metavar="WxH",
        type=_window_size,
        help="open the window at this size, e.g. 1024x640 (the self-test's screenshots too)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="try the console on sandbox stores (a temporary profile; nothing is saved)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sandbox = commands.add_parser(
        "sandbox",
        help="run the sandbox stores (simulated Shopify and TikTok Shop) until interrupted",
        description="Serve a simulated Shopify store and TikTok Shop on 127.0.0.1.",
    )
    from tiktok_console.sandbox.cli import add_sandbox_arguments

    add_sandbox_arguments(sandbox)
    from tiktok_console.commands import add_commands

    add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tiktok-console`` script."""
    args = build_parser().parse_args(argv)
    if args.command == "sandbox":
        from tiktok_console.sandbox.cli import run_sandbox

        return run_sandbox(args)
    headless = ("connect", "disconnect", "sync", "status", "deadlines", "import-settlement",
                "import-history")  # fmt: skip
    if args.command in (*headless, "payouts", "catalog", "returns", "cancellations"):
        from tiktok_console.headless import run_command

        return run_command(args)
    from tiktok_console.app import GuiOptions, run_gui

    return run_gui(
        GuiOptions(
            profile=args.profile,
            debug=args.debug,
            self_test=args.self_test,
            screenshots=args.screenshots,
            settle=args.settle,
            theme=args.theme,
            demo=args.demo,
            window_size=args.window_size,
        )
    )


def _window_size(text: str) -> tuple[int, int]:
    """``1024x640`` as (1024, 640); argparse reports anything else in one line."""
    width, sep, height = text.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit()) or int(width) < 320 or int(height) < 240:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1024x640")
    return int(width), int(height)
