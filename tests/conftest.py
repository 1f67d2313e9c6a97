"""Test-wide setup: Qt renders offscreen; no test touches the user's real profile."""

import os
from pathlib import Path

import pytest

# Forced, not defaulted: a developer's QT_QPA_PLATFORM=wayland/xcb would open real windows.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

# What is known of the real APIs lives beside the checkout, in ../shared/api.
_BESIDE_CHECKOUT = Path(__file__).resolve().parents[2] / "shared" / "api"
SHARED_API = Path(os.environ.get("TIKTOK_CONSOLE_SHARED_API", _BESIDE_CHECKOUT))


@pytest.fixture
def shared_api() -> Path:
    """The folder of real API facts and samples; tests that need it skip without it."""
    if not SHARED_API.is_dir():
        pytest.skip(f"{SHARED_API} is not present")
    return SHARED_API
