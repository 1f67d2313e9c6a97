"""The profile holds buyer names, phones and addresses: only its owner may read it
(issue 14, item 5). POSIX only: on Windows the profile is in the user's own AppData."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tiktok_console.core.logs import SecretRedactor
from tiktok_console.profile import open_profile, resolve_paths, start_logging
from tiktok_console.storage.migrations import backup_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _everything(root: Path) -> list[Path]:
    return [root, *root.rglob("*")]


def test_a_new_profile_is_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask, which made everything world-readable
    try:
        root = tmp_path / "profile"
        paths = resolve_paths(root)
        redactor = start_logging(paths, debug=False)
        profile = open_profile(paths, redactor)
        profile.database.execute_sql("CREATE TABLE probe (x)")  # the WAL and SHM exist now
        logging.getLogger("tests.permissions").warning("a line in the log")
        backup_database(profile.database, paths.database, 1)
        files = _everything(root)
        assert any(p.name.endswith("-wal") for p in files)
        assert any(p.name.endswith(".bak") for p in files)
        assert any(p.name == "tiktok-console.log" for p in files)
        for path in files:
            expected = 0o700 if path.is_dir() else 0o600
            assert _mode(path) == expected, f"{path} is {oct(_mode(path))}"
        profile.close()
    finally:
        os.umask(previous)
        start_logging(resolve_paths(tmp_path / "elsewhere"), debug=False)


def test_an_old_readable_profile_is_made_private(tmp_path: Path) -> None:
    root = tmp_path / "profile"
    root.mkdir(mode=0o755)
    root.chmod(0o755)
    with sqlite3.connect(root / "console.sqlite3") as connection:
        connection.execute("CREATE TABLE t (x)")
    (root / "console.sqlite3").chmod(0o644)
    (root / "settings.json").write_text("{}")
    (root / "settings.json").chmod(0o644)

    profile = open_profile(resolve_paths(root), SecretRedactor())
    profile.close()

    for path in (root, root / "console.sqlite3", root / "settings.json"):
        assert _mode(path) in (0o700, 0o600), f"{path} is {oct(_mode(path))}"
