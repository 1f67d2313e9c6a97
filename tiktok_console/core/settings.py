"""Non-secret settings, saved as JSON next to the profile.

Every field has a default, unknown fields are ignored, and a file that cannot
be read is set aside rather than lost: a new version of the app never breaks
an old file, and an old version never breaks a new one. Secrets never go
here: tokens and app secrets live in the OS keyring.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tiktok_console.core.errors import ConsoleError, describe_os_error

log = logging.getLogger(__name__)

Theme = Literal["system", "light", "dark"]


class WindowSettings(BaseModel):
    """Where the main window was, so it reopens there."""

    model_config = ConfigDict(extra="ignore")

    # The default fits a 1366×768 laptop screen with its taskbar and title bar.
    width: int = Field(default=1240, ge=640)
    height: int = Field(default=680, ge=480)
    last_page: str = "overview"


UNDO_GRACE_SECONDS = 10.0


class OrderSettings(BaseModel):
    """How TikTok orders become Shopify orders."""

    model_config = ConfigDict(extra="ignore")

    include_fbt: bool = False  # orders fulfilled by TikTok are usually kept out of Shopify
    customer: Literal["none", "placeholder"] = "none"  # what to do with masked buyers
    poll_seconds: float = Field(default=2.0, ge=0.5)
    # How long Shopify's search index may lag behind a new order (the duplicate guard
    # waits this long before deciding an unconfirmed create did not happen).
    search_lag_seconds: float = Field(default=30.0, ge=0.0)
    # "Map now" is like "undo send": the orders it releases go to Shopify only
    # after this many seconds, so the merchant can still undo a wrong pick.
    undo_grace_seconds: float = Field(default=UNDO_GRACE_SECONDS, ge=0.0)


class LivestreamSettings(BaseModel):
    """What changes while a livestream is on: faster polling, tighter buffers, caps."""

    model_config = ConfigDict(extra="ignore")

    poll_seconds: float = Field(default=0.5, ge=0.2)
    buffer_units: int = Field(default=2, ge=0)
    buffer_percent: int = Field(default=10, ge=0, le=100)
    default_cap: int | None = Field(default=None, ge=0)  # per-SKU caps override it


class InventorySettings(BaseModel):
    """How Shopify stock becomes TikTok stock (Shopify is the master)."""

    model_config = ConfigDict(extra="ignore")

    # Which Shopify locations' stock TikTok sells; empty means every active location.
    location_ids: list[str] = Field(default_factory=list)
    buffer_units: int = Field(default=0, ge=0)  # held back from TikTok, per SKU
    buffer_percent: int = Field(default=0, ge=0, le=100)  # the larger of the two applies
    deactivate_at_zero: bool = False  # take listings off sale at 0, relist when stock returns
    poll_seconds: float = Field(default=1.0, ge=0.2)
    reconcile_minutes: float = Field(default=60.0, ge=1.0)
    livestream: LivestreamSettings = Field(default_factory=LivestreamSettings)


class FulfillmentSettings(BaseModel):
    """How Shopify shipments reach TikTok."""

    model_config = ConfigDict(extra="ignore")

    # A tracking number that does not look like the mapped provider's: warn and send
    # anyway, or hold it for the merchant.
    bad_tracking: Literal["warn", "hold"] = "hold"
    poll_seconds: float = Field(default=30.0, ge=1.0)
    provider_cache_hours: float = Field(default=24.0, ge=0.0)


class DeadlineSettings(BaseModel):
    """When the console raises a desktop notification for a deadline."""

    model_config = ConfigDict(extra="ignore")

    notify: bool = True
    # Minutes left at which to notify, once each per deadline (24 h, 4 h, 1 h).
    threshold_minutes: list[int] = Field(default_factory=lambda: [24 * 60, 4 * 60, 60])

    @field_validator("threshold_minutes")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if not value or any(minutes <= 0 for minutes in value):
            raise ValueError("thresholds are positive numbers of minutes")
        return sorted(set(value), reverse=True)

    def thresholds(self) -> tuple[timedelta, ...]:
        """The thresholds as times left, largest first."""
        return tuple(timedelta(minutes=m) for m in self.threshold_minutes)


# Fee rates above this are typing mistakes, not TikTok's (its highest category fees are ~20 %).
MAX_FEE_PERCENT = Decimal(30)
MAX_LABEL_COST = Decimal(100)


class PayoutSettings(BaseModel):
    """What the merchant expects TikTok to charge; None keeps the region's published rate.

    Percentages of each sale's revenue after the seller's discounts (6 for 6 %);
    reconciliation names a fee above its rate as unexplained money.
    """

    model_config = ConfigDict(extra="ignore")

    referral_fee_percent: Decimal | None = Field(
        default=None, ge=0, le=MAX_FEE_PERCENT, decimal_places=3
    )
    commission_fee_percent: Decimal | None = Field(
        default=None, ge=0, le=MAX_FEE_PERCENT, decimal_places=3
    )
    transaction_fee_percent: Decimal | None = Field(
        default=None, ge=0, le=MAX_FEE_PERCENT, decimal_places=3
    )
    # What one TikTok Shipping label costs (None: the console's default for the region).
    label_cost: Decimal | None = Field(default=None, ge=0, le=MAX_LABEL_COST, decimal_places=2)


class Settings(BaseModel):
    """Every non-secret setting of one profile."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    # Names this profile's keyring entries, so two profiles never share a sign-in.
    # The source of truth is the profile's identity file (``core.identity``); the
    # copy here is what older versions read.
    profile_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    theme: Theme = "system"
    welcome_dismissed: bool = False
    window: WindowSettings = Field(default_factory=WindowSettings)
    orders: OrderSettings = Field(default_factory=OrderSettings)
    inventory: InventorySettings = Field(default_factory=InventorySettings)
    fulfillment: FulfillmentSettings = Field(default_factory=FulfillmentSettings)
    deadlines: DeadlineSettings = Field(default_factory=DeadlineSettings)
    payouts: PayoutSettings = Field(default_factory=PayoutSettings)


def load_settings(path: Path, problems: list[str] | None = None) -> Settings:
    """Read settings, resetting only what cannot be used.

    A value that fails validation (out of range, wrong type) is reset to its
    default alone, and the rest of the file is kept; a file that is not JSON
    at all gives the defaults. Either way the merchant's file is first copied
    to ``settings.json.unreadable-<time>`` for inspection, and each problem is
    described (naming the setting) in ``problems`` and the log.
    """
    problems = problems if problems is not None else []
    if not path.exists():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError) as error:
        problems.append(f"The settings file {path} could not be read ({error}); defaults are used.")
        log.warning("%s", problems[-1])
        return Settings()
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except ValueError as error:
        aside = _set_aside(path, text)
        problems.append(
            f"The settings file {path} is damaged ({error}); every setting was reset to its "
            f"default. The old file is kept as {aside.name}."
        )
        log.warning("%s", problems[-1])
        return Settings()
    settings, reset = _validate_resetting(data)
    if reset:
        aside = _set_aside(path, text)
        for name, value, why in reset:
            problems.append(
                f"The setting {name} was {value!r} ({why}); it was reset to its default. "
                f"The old settings file is kept as {aside.name}."
            )
            log.warning("%s", problems[-1])
    return settings


def _validate_resetting(data: dict[str, Any]) -> tuple[Settings, list[tuple[str, Any, str]]]:
    """The settings, with each invalid value dropped (so it takes its default)."""
    reset: list[tuple[str, Any, str]] = []
    for _ in range(64):  # each pass drops at least one value; the file has few
        try:
            return Settings.model_validate(data), reset
        except ValidationError as error:
            for problem in error.errors():
                location = [str(part) for part in problem["loc"]]
                value = _drop(data, location)
                reset.append((".".join(location), value, problem["msg"].lower()))
    return Settings(), reset


def _drop(data: dict[str, Any], location: list[str]) -> Any:
    """Remove the value at ``location`` (or its nearest droppable parent); returns it."""
    node: Any = data
    for depth, key in enumerate(location):
        if not isinstance(node, dict) or key not in node:
            return None
        if depth == len(location) - 1 or not isinstance(node[key], dict):
            return node.pop(key)
        node = node[key]
    return None


def _set_aside(path: Path, text: str) -> Path:
    """Keep a copy of the merchant's file before it is rewritten."""
    aside = path.with_name(f"{path.name}.unreadable-{datetime.now(UTC):%Y%m%d-%H%M%S}")
    try:
        if not aside.exists():
            write_private_text(aside, text)
    except OSError:
        log.warning("Could not keep a copy of the settings file as %s", aside)
    return aside


class SettingsUnwritableError(ConsoleError):
    """The settings file cannot be written (read-only folder, full disk)."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(
            f"The settings could not be saved to {path} ({describe_os_error(error)}). "
            "Free some disk space or make the folder writable; your settings are unchanged.",
            detail=repr(error),
        )


def save_settings(settings: Settings, path: Path) -> None:
    """Write settings atomically: a crash mid-write never leaves half a file.

    Raises:
        SettingsUnwritableError: the folder is read-only or the disk is full.
    """
    try:
        write_private_text(path, settings.model_dump_json(indent=2))
    except OSError as error:
        raise SettingsUnwritableError(path, error) from error


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600 on POSIX, so it is never readable by others.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
