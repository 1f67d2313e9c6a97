"""Finds bundled resources the same way from source and from a frozen build.

PyInstaller unpacks data files under ``sys._MEIPASS``; ``build.spec`` copies the
``resources/`` folder there under the same name, so one relative path works in
both worlds.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder of the source tree or of the frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``; raises if it is missing (a packaging bug)."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"bundled resource missing: {path}")
    return path
