"""Allows ``python -m tiktok_console``."""

from tiktok_console.cli import main

raise SystemExit(main())
