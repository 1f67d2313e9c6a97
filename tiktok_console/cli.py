"""Command line: parses arguments and hands over to ``app``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser; subcommands register here."""
    parser = argparse.ArgumentParser(prog="tiktok-console")
    parser.add_argument("--profile", metavar="DIR", help="use DIR as the data directory")
    parser.add_argument("--debug", action="store_true", help="log debug output to the console")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tiktok-console`` script."""
    build_parser().parse_args(argv)
    return 0
