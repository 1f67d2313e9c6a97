"""Where the console keeps its files: the user's data, config and log directories.

``--profile DIR`` puts everything under one directory instead, which is how
tests, the demo and a second shop keep apart from the real profile.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tiktok_console.core.errors import ProfileUnavailableError

APP_NAME = "tiktok-console"


@dataclass(frozen=True)
class AppPaths:
    """The directories of one profile."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        """The user's standard locations for this OS."""
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def for_profile(cls, profile_dir: Path) -> AppPaths:
        """Everything under one directory (``--profile DIR``)."""
        root = profile_dir.expanduser().resolve()
        return cls(data_dir=root, config_dir=root, log_dir=root / "logs")

    @property
    def database(self) -> Path:
        """The SQLite database file."""
        return self.data_dir / "console.sqlite3"

    @property
    def settings_file(self) -> Path:
        """The JSON file of non-secret settings."""
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        """The rotating log file."""
        return self.log_dir / "tiktok-console.log"

    @property
    def identity_file(self) -> Path:
        """The profile's id, apart from the editable settings (see ``core.identity``)."""
        return self.config_dir / "profile-id"

    def ensure(self) -> AppPaths:
        """Create the directories if missing, private to the user; returns self.

        Existing directories and files are made private too (a profile made by
        an older version was readable by every local user), and each directory
        is checked to be writable, so a read-only or full disk is reported once,
        clearly, before anything else fails on it.

        Raises:
            ProfileUnavailableError: a directory cannot be created or written.
        """
        for directory in (self.data_dir, self.config_dir, self.log_dir):
            try:
                directory.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
                make_private(directory)
                with tempfile.TemporaryFile(dir=directory):
                    pass
            except OSError as error:
                raise ProfileUnavailableError(directory, error) from error
        return self


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def make_private(directory: Path) -> None:
    """Make ``directory`` 0700 and the files directly in it 0600 (POSIX only).

    On Windows the profile lives in the user's own AppData, which other users
    cannot read by default; ``chmod`` there only toggles the read-only flag.
    """
    if os.name != "posix":
        return
    _chmod(directory, PRIVATE_DIR)
    for entry in directory.iterdir():
        if entry.is_file() and not entry.is_symlink():
            _chmod(entry, PRIVATE_FILE)


def _chmod(path: Path, mode: int) -> None:
    if stat.S_IMODE(path.stat().st_mode) != mode:
        path.chmod(mode)
