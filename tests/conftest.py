"""Test-wide setup: Qt renders offscreen; no test touches the user's real profile."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
