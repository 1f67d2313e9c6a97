"""The sandbox checks the clients independently: it depends on nothing else in the app.

Two ways it could stop doing so: a sandbox module importing app code (caught
here in plain pytest, not only by ``lint-imports``), or ``tiktok-console
sandbox`` loading the app's layers on its way in, so that a broken change to
sync or storage takes the sandbox down with it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import tiktok_console.sandbox

SANDBOX = Path(tiktok_console.sandbox.__file__).parent
ROOT = SANDBOX.parents[1]
# The CLI's own modules: the entry point and the headless commands' argument lists.
CLI_MODULES = {
    "tiktok_console", "tiktok_console.cli", "tiktok_console.commands",
    "tiktok_console.payouts_cli",  # the payouts commands' arguments; it runs them lazily
}  # fmt: skip


def _package(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])


def _imported(source: str, package: str) -> set[str]:
    """Absolute names of everything ``source`` imports (relative imports resolved)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def _outside_sandbox(name: str) -> bool:
    return name.startswith("tiktok_console.") and not name.startswith("tiktok_console.sandbox")


def test_no_sandbox_module_imports_the_rest_of_the_app() -> None:
    modules = sorted(SANDBOX.rglob("*.py"))
    assert len(modules) > 50
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules
        for name in _imported(path.read_text(encoding="utf-8"), _package(path))
        if _outside_sandbox(name)
    }
    assert offenders == set()


def test_the_checker_sees_absolute_and_relative_escapes() -> None:
    source = (
        "from ..faults import x\nfrom ...sync import engine\nimport tiktok_console.storage.db\n"
    )
    imported = _imported(source, "tiktok_console.sandbox.shopify")
    assert "tiktok_console.sandbox.faults.x" in imported
    assert sorted(filter(_outside_sandbox, imported)) == [
        "tiktok_console.storage.db",
        "tiktok_console.sync.engine",
    ]


# Starts the sandbox through the main CLI, stops it once it printed its first line,
# then reports which modules that loaded.
_RUN = """
import io, json, os, signal, sys
from tiktok_console import cli

class StopWhenUp(io.StringIO):
    def write(self, text):
        if text.strip():
            os.kill(os.getpid(), signal.SIGINT)
        return len(text)

sys.stdout = StopWhenUp()
code = cli.main(["sandbox", "--products", "5", "--print-json"])
sys.stderr.write(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_running_the_sandbox_command_loads_none_of_the_app() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _RUN], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    app = {
        m
        for m in report["modules"]
        if m.startswith("tiktok_console") and m not in CLI_MODULES and _outside_sandbox(m)
    }
    assert app == set()
    assert not [m for m in report["modules"] if m.startswith(("PySide6", "peewee", "keyring"))]
