"""Errors raised by operations, turned into GraphQL errors or user errors at the edge."""

from __future__ import annotations

from typing import Any

UserErrors = list[dict[str, Any]]


class TopLevelError(Exception):
    """An error Shopify reports in the top-level ``errors`` list (not a user error)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def user_error(field: list[str] | None, message: str, code: str | None = None) -> dict[str, Any]:
    """One entry of a payload's ``userErrors``."""
    error: dict[str, Any] = {"field": field, "message": message}
    if code is not None:
        error["code"] = code
    return error
