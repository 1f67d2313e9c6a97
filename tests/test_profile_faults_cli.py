"""The headless commands on a bad day: a damaged settings file, a read-only profile, a
full disk (issue 14, items 1-4). Each gives one clear sentence (exit status 2 for the
storage) and never a traceback or a flood; the sign-ins stay the profile's.

The commands run in this process (``cli.main``) with the process's memory keyring, so
they need no Secret Service; the sandbox runs in-process too, over real HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fault_mounts import fill, read_only, tiny_disk
from tests.in_process_cli import connect, memory_keyring, run  # noqa: F401 (autouse)
from tiktok_console.core.logs import SecretRedactor, setup_logging
from tiktok_console.profile import MEMORY_KEYRING
from tiktok_console.sandbox.runner import SandboxRunner, running_sandbox
from tiktok_console.sandbox.world import WorldOptions


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxRunner]:
    options = WorldOptions(seed=3, products=4, orders=0, orders_per_minute=0)
    with running_sandbox(options) as runner:
        yield runner


def _entries(profile: Path) -> list[str]:
    identity = (profile / "profile-id").read_text().strip()
    return sorted(user for (_, user) in MEMORY_KEYRING.entries() if user.startswith(identity))


def test_a_damaged_settings_file_loses_no_sign_in(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sandbox: SandboxRunner
) -> None:
    profile = tmp_path / "profile"
    connect(capsys, profile, sandbox)
    settings = profile / "settings.json"
    signed_in = _entries(profile)
    assert any("shopify:" in e for e in signed_in) and any("tiktok:" in e for e in signed_in)

    settings.write_text(settings.read_text()[:40])  # truncated
    code, out, err = run(capsys, profile, "sync", "--once", "--job", "shopify_variants")
    assert code == 0, out + err
    assert "damaged" in err and "no longer accepts" not in out + err

    data = json.loads(settings.read_text())
    data["window"]["width"] = 600  # out of range, as another version could write
    settings.write_text(json.dumps(data))
    code, out, err = run(capsys, profile, "sync", "--once")
    assert code == 0, out + err
    assert "window.width" in err and "600" in err
    assert "caught up" in out and "failed" not in out

    code, out, err = run(capsys, profile, "disconnect", "shopify")
    assert code == 0 and "removed from the keyring" in out
    left = _entries(profile)
    assert not [e for e in left if "shopify" in e]  # sign-in and app secret both gone
    assert [e for e in left if "tiktok" in e]
    code, out, _ = run(capsys, profile, "disconnect", "shopify")
    assert code == 0 and "No shopify account is connected" in out


def test_a_read_only_profile_gives_one_sentence_and_exit_status_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sandbox: SandboxRunner
) -> None:
    profile = tmp_path / "profile"
    connect(capsys, profile, sandbox)
    setup_logging(tmp_path / "elsewhere.log", SecretRedactor())  # the profile's log is closed
    with read_only(profile):
        for command in (["status"], ["sync", "--once"], ["disconnect", "tiktok"]):
            code, out, err = run(capsys, profile, *command)
            assert code == 2, (command, out, err)
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: "), err
            assert str(profile) in err and "writable" in err
    assert _entries(profile)  # nothing was lost meanwhile


def test_a_full_disk_gives_one_sentence_keeps_rows_and_does_not_flood(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sandbox: SandboxRunner
) -> None:
    with tiny_disk(tmp_path / "disk", "3m") as disk:
        profile = disk / "profile"
        connect(capsys, profile, sandbox)
        code, out, err = run(capsys, profile, "sync", "--once", "--job", "shopify_variants")
        assert code == 0, out + err
        database = profile / "console.sqlite3"
        import sqlite3

        def rows() -> int:
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
                return int(
                    connection.execute("SELECT COUNT(*) FROM shopify_variant_row").fetchone()[0]
                )

        before = rows()
        assert before > 0
        fill(disk)
        code, out, err = run(capsys, profile, "sync", "--once")
        assert code == 2, out + err
        assert "Logging error" not in err and "rollback" not in err and "Traceback" not in err
        assert len(err.splitlines()) <= 3, err  # the sentence, and the log's one line
        assert f"The disk holding the database {database} is full" in err
        code, out, err = run(capsys, profile, "status")
        assert code in (0, 2) and "Traceback" not in err, err
        (disk / "filler").unlink()
        assert rows() >= before
        wal = database.with_name(database.name + "-wal")
        assert not wal.exists() or wal.stat().st_size <= 1_100_000
