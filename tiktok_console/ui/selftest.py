"""The self-test: open every page, save a screenshot of each, report problems.

Used by ``--self-test --screenshots DIR`` in CI (from source and from the
frozen build) and by developers to look at what they built.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tiktok_console.ui.main_window import MainWindow

log = logging.getLogger(__name__)

_MIN_COLOURS = 8  # fewer distinct colours than this means nothing was drawn
_READ_LIMIT_S = 20.0  # a page whose read takes longer is captured as it is (and logged)


def capture_pages(window: MainWindow, out_dir: Path | None) -> list[Path]:
    """Show each page in turn and save ``NN-<page>.png``; returns the files written.

    A page that renders blank (almost one colour) is logged as an error, so the
    self-test fails on a page that draws nothing, e.g. missing fonts or styles.
    """
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for number, page_id in enumerate(window.pages, start=1):
        window.show_page(page_id)
        _wait_for_reads(window, page_id)
        # Wrapped labels settle their height over a few layout passes (each posts
        # the next), as they would in the frames before anyone looks at them.
        for _pass in range(3):
            QApplication.processEvents()
        image = window.grab().toImage()
        if _distinct_colours(image) < _MIN_COLOURS:
            log.error("Self-test: page %r rendered blank", page_id)
        if out_dir is not None:
            path = out_dir / f"{number:02d}-{page_id}.png"
            if not image.save(str(path)):
                log.error("Self-test: could not save %s", path)
            written.append(path)
    return written


def _wait_for_reads(window: MainWindow, page_id: str) -> None:
    """Let the page's reads (off the GUI thread) arrive and be shown before the capture."""
    deadline = time.monotonic() + _READ_LIMIT_S
    while not window.settled:
        if time.monotonic() > deadline:
            log.error("Self-test: page %r was still reading after %.0f s", page_id, _READ_LIMIT_S)
            return
        QApplication.processEvents()
        time.sleep(0.005)


def _distinct_colours(image: QImage, step: int = 7) -> int:
    colours: set[int] = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
            if len(colours) >= _MIN_COLOURS:
                return len(colours)
    return len(colours)
