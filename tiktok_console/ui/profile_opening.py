"""Opening the merchant's profile from the GUI: a damaged database is asked about in a dialog.

The self-test never asks (it refuses the reset) and never shows a dialog; its
failure is in the log and the exit status.
"""

from __future__ import annotations

import logging

from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.logs import SecretRedactor
from tiktok_console.core.paths import AppPaths
from tiktok_console.profile import Profile, open_profile
from tiktok_console.storage.database import ConfirmReset, refuse_reset
from tiktok_console.ui.dialogs import ask_reset_database, show_startup_error

log = logging.getLogger(__name__)


def open_profile_asking(
    paths: AppPaths, redactor: SecretRedactor, *, self_test: bool
) -> Profile | None:
    """The opened profile, or None once the reason it cannot be used has been said."""
    confirm: ConfirmReset = refuse_reset if self_test else ask_reset_database
    try:
        return open_profile(paths, redactor, confirm)
    except ConsoleError as error:
        log.error("Cannot start: %s", error.message)
        if not self_test:
            show_startup_error(error)
        return None
