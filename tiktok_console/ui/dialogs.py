"""The few dialogs that are right: answers to something the merchant just did
(started the app), never for background problems."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tiktok_console.core.errors import ConsoleError


def ask_reset_database(path: Path, reason: str) -> bool:
    """Ask whether to set a damaged database aside and start a fresh one."""
    answer = QMessageBox.question(
        None,
        "Database damaged",
        f"The console's database is damaged and cannot be opened:\n\n{reason}\n\n"
        f"File: {path}\n\n"
        "Set it aside (it is kept, renamed, for recovery) and start a fresh database? "
        "Your stores are not affected; data is pulled again on the next sync.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_startup_error(error: ConsoleError) -> None:
    """Explain why the console cannot start."""
    box = QMessageBox(QMessageBox.Icon.Critical, "TikTok Console cannot start", error.message)
    if error.detail:
        box.setDetailedText(error.detail)
    box.exec()
