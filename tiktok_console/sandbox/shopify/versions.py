"""Admin API versions the sandbox serves, and which behaviours each one has."""

from __future__ import annotations

SUPPORTED_VERSIONS = (
    "2025-01", "2025-04", "2025-07", "2025-10", "2026-01", "2026-04", "2026-07", "2026-10",
)  # fmt: skip
LATEST = SUPPORTED_VERSIONS[-1]


def at_least(version: str, minimum: str) -> bool:
    """Whether ``version`` (``YYYY-MM``) is ``minimum`` or newer."""
    return version >= minimum


def has_idempotent_directive(version: str) -> bool:
    """``@idempotent`` exists from 2026-01."""
    return at_least(version, "2026-01")


def idempotency_mandatory(version: str) -> bool:
    """``@idempotent`` is required on inventory adjustments and refunds from 2026-04."""
    return at_least(version, "2026-04")


def uses_change_from_quantity(version: str) -> bool:
    """``changeFromQuantity`` replaces ``compareQuantity`` from 2026-04."""
    return at_least(version, "2026-04")


def max_concurrent_bulk_queries(version: str) -> int:
    """One bulk query at a time before 2026-01, five from 2026-01."""
    return 5 if at_least(version, "2026-01") else 1
