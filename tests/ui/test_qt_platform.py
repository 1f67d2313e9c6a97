"""What the app assumes of Qt for Python, checked against the version installed."""

from __future__ import annotations

import subprocess
import sys

# In a fresh interpreter: inside the suite, other tests' objects being freed move
# None's reference count by thousands and would hide the loss.
_COUNT_NONE_LOST = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer

app = QCoreApplication([])
fired = []
before = sys.getrefcount(None)
for _ in range(3000):
    QTimer.singleShot(0, lambda: fired.append(1))
QTimer.singleShot(200, app.quit)
app.exec()
print(len(fired), before - sys.getrefcount(None))
"""


def test_single_shot_timers_leave_none_alive() -> None:
    # qasync runs every asyncio callback through QTimer.singleShot(0, callable).
    # PySide6 6.12.0 dropped one reference to None per such call, so a busy app
    # died with "Fatal Python error: none_dealloc" (pyproject pins below it).
    done = subprocess.run(
        [sys.executable, "-c", _COUNT_NONE_LOST], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    fired, lost = map(int, done.stdout.split())
    assert fired == 3000
    assert lost < 1500
