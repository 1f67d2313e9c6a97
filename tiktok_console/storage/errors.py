"""Storage problems the merchant can act on.

Each message is one sentence (or two) that names the file and what to do;
the SQLite wording goes to ``detail``, for the log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from tiktok_console.core.errors import ConsoleError


class DatabaseTooNewError(ConsoleError):
    """The database was written by a newer version of the console."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"The database at {path} was created by a newer version of TikTok Console "
            f"(schema {found}; this version understands up to {supported}). "
            "Install the newer version, or start with another profile (--profile DIR).",
            detail=f"user_version={found} > {supported}",
        )
        self.found = found
        self.supported = supported


def backups_of(path: Path) -> list[Path]:
    """The backups the console made of ``path`` before migrating it, newest first."""
    found = [p for p in path.parent.glob(f"{path.name}.v*.bak") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


class DatabaseCorruptError(ConsoleError):
    """The database file is damaged and the merchant chose not to start afresh."""

    def __init__(self, path: Path, reason: str) -> None:
        backups = backups_of(path)
        if backups:
            remedy = (
                f"Restore it from the backup {backups[0].name} in the same folder, "
                "or allow the console to set it aside and start a fresh one."
            )
        else:
            remedy = (
                "There is no backup of it; allow the console to set it aside (it is kept) "
                "and start a fresh one, which downloads your stores' data again."
            )
        super().__init__(
            f"The database at {path} is damaged and cannot be opened ({reason}). "
            f"Nothing was changed. {remedy}",
            detail=reason,
        )
        self.reason = reason
        self.backups = backups


FaultKind = Literal["full", "read-only", "locked", "vanished", "io", "other"]

_FAULT_MESSAGES: dict[str, str] = {
    "full": "The disk holding the database {path} is full: free some space there; "
    "everything already saved is kept and the console carries on once it can write.",
    "read-only": "The database {path} is read-only: make the file and its folder writable "
    "again (or start with another --profile); everything already saved is kept.",
    "locked": "The database {path} is locked by another program (another TikTok Console on "
    "this profile?): close it; the console tries again.",
    "vanished": "The database {path} was moved or deleted while the console was using it: "
    "put it back and restart the console.",
    "io": "The disk holding the database {path} reported an error: check the disk and "
    "restart the console; everything already saved is kept.",
    "other": "The database at {path} cannot be used ({reason}): check that the disk has "
    "free space and the folder is writable.",
}


class DatabaseUnavailableError(ConsoleError):
    """The database cannot be opened or written (read-only, disk full, locked, gone).

    Args:
        path: the database file.
        reason: SQLite's or the OS's words, for the log.
        kind: what is wrong, which chooses the sentence the merchant reads.
    """

    retryable = True  # each of these can clear up while the console waits

    def __init__(self, path: Path, reason: str, kind: FaultKind = "other") -> None:
        super().__init__(_FAULT_MESSAGES[kind].format(path=path, reason=reason), detail=reason)
        self.path = path
        self.kind = kind
