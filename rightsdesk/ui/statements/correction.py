"""Correct an issued statement: an issued statement never changes, so a correction is an
adjustment (an amount and why) that the deal's next statement run carries (DOMAIN.md)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from rightsdesk.domain.errors import Problem, UserError
from rightsdesk.persistence.database import Database
from rightsdesk.services import issuing
from rightsdesk.services.audit import current_user
from rightsdesk.ui.actions import run
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import explain_number, lay_out_dialog, number_of, problems_label, show_problems


class CorrectionDialog(QDialog):
    """Amount (in the statement's currency; negative when too much was paid) and reason, both
    required; saved as an adjustment of the statement on OK."""

    def __init__(self, database: Database, statement_id: int, name: str, currency: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.statement_id = statement_id
        self.saved_id: int | None = None
        self.amount_saved: Decimal | None = None
        self.setWindowTitle(f"Correct {name}")
        self.setMinimumWidth(460)
        intro = QLabel(f"{name} is issued and stays as it is. The correction goes onto the deal's next "
                       "statement when its period is run.", wordWrap=True)
        self.amount = QLineEdit(objectName="correction-amount", placeholderText="e.g. 250.00, or -120.50 if overpaid")
        explain_number(self.amount)
        self.reason = QLineEdit(objectName="correction-reason",
                                placeholderText="why, as the participant will read it on the statement")
        self.problems = problems_label("correction-problems")
        form = QFormLayout()
        form.addRow(intro)
        form.addRow(f"&Amount ({currency})", self.amount)
        form.addRow("", QLabel("Positive: more is owed to the participant. Negative: too much was paid.",
                               styleSheet="color: palette(placeholder-text);"))
        form.addRow("&Reason", self.reason)
        lay_out_dialog(self, form, self.problems, ok_text="Record correction")

    def read(self, problems: list[Problem]) -> tuple[Decimal | None, str]:
        amount = number_of(self.amount.text(), "Amount", problems, empty=None)
        if amount is None and not problems:
            problems.append(Problem("Amount", "write the amount of the correction"))
        elif amount == 0:
            problems.append(Problem("Amount", "a correction of zero changes nothing"))
        reason = self.reason.text().strip()
        if not reason:
            problems.append(Problem("Reason", "say why, as the participant will read it"))
        return amount, reason

    def accept(self) -> None:
        problems: list[Problem] = []
        amount, reason = self.read(problems)
        if problems or amount is None:
            show_problems(self.problems, problems)
            return
        try:
            self.saved_id = run(self.database, issuing.adjust, self.statement_id, amount, reason, user=current_user())
        except UserError as error:
            show_user_error(self, error, "Cannot record the correction")
            return
        self.amount_saved = amount
        super().accept()
