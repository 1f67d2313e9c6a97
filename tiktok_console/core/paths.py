"""Where the console keeps its files: the user's data, config and log directories.

``--profile DIR`` puts everything under one directory instead, which is how
tests, the demo and a second shop keep apart from the real profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

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

    def ensure(self) -> AppPaths:
        """Create the directories if missing; returns self for chaining."""
        for directory in (self.data_dir, self.config_dir, self.log_dir):
            directory.mkdir(parents=True, exist_ok=True)
        return self
