"""What the OS keyring offers on this machine.

keyring discovers its backends through package entry points; a frozen build
that forgot their metadata silently has none. The self-test checks this.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import keyring
import keyring.backend


def bundled_backends() -> list[str]:
    """Names of the keyring backends this installation can load."""
    return sorted(point.name for point in entry_points(group="keyring.backends"))


def usable_backend() -> str | None:
    """The backend keyring would use, or None when only the fail/null backends exist."""
    backend = keyring.get_keyring()
    priority = float(getattr(backend, "priority", 0))
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if priority <= 0 or "fail" in name.lower() or "null" in name.lower():
        return None
    return name
