"""The dialog that confirms a decision on a return or a cancellation request.

It says first what the decision does (the refund, who pays the return
shipping; for a cancellation, that shipping the order rejects it), and for a
rejection asks for one of TikTok's reasons for that very request, an
optional note to TikTok and, for a return, up to six images as evidence
(picked from files, their names shown; too many or a file TikTok would not
take is refused here, in words, before anything is sent). It is opened
without blocking (``open``) so the page keeps counting down while the
merchant reads; ``decision()`` is what to send.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiktok_console.domain.evidence import MAX_EVIDENCE, evidence_problem
from tiktok_console.sync.aftersales.actions import DecisionPreview
from tiktok_console.sync.aftersales.decisions import Decision, Kind
from tiktok_console.ui.widgets import label

NOTE_LIMIT = 500  # Reject Return 202606: `comment` is at most 500 characters
IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.webp)"


class DecisionDialog(QDialog):
    """Approve or reject one request, after reading what it does."""

    def __init__(self, shown: DecisionPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown = shown
        verb = "Approve" if shown.approve else "Reject"
        self.setWindowTitle(f"{verb} {shown.kind.value} {shown.request_id}")
        self.setMinimumWidth(480)
        box = QVBoxLayout(self)
        self.says = label(shown.says, wrap=True)
        box.addWidget(self.says)
        self.reason = QComboBox()
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_LIMIT)
        self.note.setPlaceholderText("Optional: what TikTok and the buyer should read")
        self.evidence: list[Path] = []
        self.evidence_list = QListWidget()
        self.add_images = QPushButton("Add images…")
        self.remove_image = QPushButton("Remove")
        self.evidence_problem = label("", "ErrorText", wrap=True)
        if not shown.approve:
            for reason in shown.reasons:
                self.reason.addItem(reason.text, reason.code)
            form = QFormLayout()
            form.addRow("TikTok's reason", self.reason)
            form.addRow("Note to TikTok", self.note)
            if shown.kind == Kind.RETURN:  # Reject Return takes images; Reject Cancellation not
                form.addRow(f"Evidence (up to {MAX_EVIDENCE})", self._evidence_row())
            box.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.confirm = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm.setText(verb)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box.addWidget(self.buttons)

    def _evidence_row(self) -> QWidget:
        row = QWidget()
        column = QVBoxLayout(row)
        column.setContentsMargins(0, 0, 0, 0)
        self.evidence_list.setMaximumHeight(110)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_images)
        buttons.addWidget(self.remove_image)
        buttons.addStretch(1)
        column.addWidget(self.evidence_list)
        column.addLayout(buttons)
        column.addWidget(self.evidence_problem)
        self.evidence_problem.hide()
        self.add_images.clicked.connect(self._pick_images)
        self.remove_image.clicked.connect(self._remove_selected)
        return row

    def _pick_images(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Images to show TikTok", "", IMAGE_FILTER)
        if names:
            self.add_evidence([Path(name) for name in names])

    def add_evidence(self, files: list[Path]) -> bool:
        """Add image files, or say why not (and add none of them)."""
        chosen = self.evidence + [f for f in files if f not in self.evidence]
        try:
            problem = evidence_problem([(str(f), f.stat().st_size) for f in chosen])
        except OSError as unreadable:
            problem = f"{unreadable.filename} cannot be read."
        self.evidence_problem.setText(problem or "")
        self.evidence_problem.setVisible(problem is not None)
        if problem is not None:
            return False
        self.evidence = chosen
        self._show_evidence()
        return True

    def _remove_selected(self) -> None:
        row = self.evidence_list.currentRow()
        if 0 <= row < len(self.evidence):
            del self.evidence[row]
            self.evidence_problem.hide()
            self._show_evidence()

    def _show_evidence(self) -> None:
        self.evidence_list.clear()
        self.evidence_list.addItems([f.name for f in self.evidence])
        self.add_images.setEnabled(len(self.evidence) < MAX_EVIDENCE)

    def decision(self) -> Decision:
        """What to send: the reason chosen, the note typed and the images (rejections only)."""
        shown = self.shown
        if shown.approve:
            return Decision(shown.kind, shown.request_id, approve=True)
        reason = str(self.reason.currentData() or "")
        return Decision(
            shown.kind, shown.request_id, False, reason, self.note.text().strip(),
            tuple(str(f) for f in self.evidence),
        )  # fmt: skip
