"""Errors the merchant can act on, as opposed to bugs.

A ``ConsoleError`` carries a message written for the merchant; the UI shows it
as is. Any other exception is a bug: it is logged with its traceback and shown
once as "Something went wrong".
"""

from __future__ import annotations


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
