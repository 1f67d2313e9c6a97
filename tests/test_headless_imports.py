"""The headless commands run where no Qt is installed: they never import it.

import-linter checks the static imports (pyproject.toml); this checks what a
command really loads, lazy imports included, by running it in a fresh interpreter.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = """
import json, sys
from tiktok_console.cli import main
status = main(sys.argv[1:])
gui = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "qasync", "shiboken6")
             or m in ("tiktok_console.app", "tiktok_console.ui"))
print(json.dumps({"status": status, "gui": gui}))
"""


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["status", "--json"],
        ["sync", "--once"],
        ["sync"],
        ["disconnect", "tiktok"],
        ["connect"],
    ],
    ids=" ".join,
)
def test_a_headless_command_loads_no_qt(tmp_path: Path, command: list[str]) -> None:
    env = {**os.environ, "TIKTOK_CONSOLE_MEMORY_KEYRING": "1"}
    done = subprocess.run(
        [sys.executable, "-c", CHECK, "--profile", str(tmp_path / "p"), *command],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["gui"] == []
    # It really ran: sync and connect without stores say so and fail; the others succeed.
    assert report["status"] == (1 if command[0] in ("sync", "connect") else 0), done.stderr
