"""Storage problems the merchant can act on."""

from __future__ import annotations

from pathlib import Path

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


class DatabaseCorruptError(ConsoleError):
    """The database file is damaged and the merchant chose not to start afresh."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The database at {path} is damaged and cannot be opened ({reason}). "
            "Nothing was changed. Restore it from a backup in the same folder, "
            "or allow the console to set it aside and start a fresh one.",
            detail=reason,
        )
        self.reason = reason


class DatabaseUnavailableError(ConsoleError):
    """The database cannot be opened or written (permissions, disk full, locked)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The database at {path} cannot be used: {reason}. "
            "Check that the disk has free space and the folder is writable.",
            detail=reason,
        )
