"""Errors the merchant can act on, as opposed to bugs.

A ``ConsoleError`` carries a message written for the merchant; the UI shows it
as is. Any other exception is a bug: it is logged with its traceback and shown
once as "Something went wrong".
"""

from __future__ import annotations

import errno
from pathlib import Path


class ConsoleError(Exception):
    """An error with a message meant for the merchant.

    Args:
        message: what happened and what to do, in the merchant's words.
        detail: technical detail for the log and the "Details" pane.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


_OS_ERROR_WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied: the folder or file is read-only",
    errno.EPERM: "permission denied: the folder or file is read-only",
    errno.ENOENT: "the folder or file no longer exists",
}


def describe_os_error(error: OSError) -> str:
    """What an ``OSError`` means, in words a merchant can act on."""
    words = _OS_ERROR_WORDS.get(error.errno or 0)
    return words or (error.strerror or str(error))


class ProfileUnavailableError(ConsoleError):
    """The profile's folder cannot be created or written."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(
            f"The console cannot write to its folder {path} ({describe_os_error(error)}). "
            "Free some disk space or make the folder writable, or start with another "
            "folder (--profile DIR).",
            detail=repr(error),
        )
        self.path = path
