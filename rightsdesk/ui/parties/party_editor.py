"""The party editor: a producer, platform, channel, publisher or vendor."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.enums import PartyKind
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.persistence.database import Database
from rightsdesk.services import parties, reference
from rightsdesk.services.audit import current_user
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import currency_box, problems_label, show_problems

KIND_NAMES = {kind: kind.value.replace("_", " ").capitalize() for kind in PartyKind}
_TEXT_FIELDS = ("name", "legal_name", "contact_name", "email", "phone", "tax_id", "payment_reference")


class PartyEditor(QDialog):
    def __init__(self, database: Database, party_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.saved_id: int | None = None
        with database.read() as session:
            self.original = parties.load_party(session, party_id) if party_id else PartyDraft(name="")
            countries = reference.countries(session)
            currencies = sorted(reference.currency_codes(session))
        self.setWindowTitle(f"Party: {self.original.name}" if party_id else "New party")
        self.setObjectName("party-editor")
        self.resize(560, 560)

        self.fields: dict[str, QLineEdit] = {name: QLineEdit(objectName=name) for name in _TEXT_FIELDS}
        self.kind = QComboBox(objectName="kind")
        for kind, label in KIND_NAMES.items():
            self.kind.addItem(label, kind)
        self.tax_residence = QComboBox(objectName="tax_residence")
        self.tax_residence.addItem("", "")
        for code, name in countries:
            self.tax_residence.addItem(f"{code} — {name}", code)
        self.currency = currency_box(currencies)
        self.address = QPlainTextEdit(objectName="address")
        self.address.setMaximumHeight(70)
        self.notes = QPlainTextEdit(objectName="notes")
        self.notes.setMaximumHeight(70)

        form = QFormLayout()
        form.addRow("&Name", self.fields["name"])
        form.addRow("&Kind", self.kind)
        form.addRow("&Legal name", self.fields["legal_name"])
        form.addRow("&Tax residence", self.tax_residence)
        form.addRow("C&urrency", self.currency)
        form.addRow("&Contact", self.fields["contact_name"])
        form.addRow("&E-mail", self.fields["email"])
        form.addRow("&Phone", self.fields["phone"])
        form.addRow("&Address", self.address)
        form.addRow("Tax &ID", self.fields["tax_id"])
        form.addRow("Pa&yment reference", self.fields["payment_reference"])
        form.addRow("N&otes", self.notes)

        self.problems = problems_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._show(self.original)

    def _show(self, draft: PartyDraft) -> None:
        for name, field in self.fields.items():
            field.setText(getattr(draft, name))
        self.kind.setCurrentIndex(max(0, self.kind.findData(draft.kind)))
        self.tax_residence.setCurrentIndex(max(0, self.tax_residence.findData(draft.tax_residence)))
        self.currency.setCurrentIndex(max(0, self.currency.findData(draft.currency)))
        self.address.setPlainText(draft.address)
        self.notes.setPlainText(draft.notes)

    def draft(self) -> PartyDraft:
        return dataclasses.replace(
            self.original,
            **{name: field.text() for name, field in self.fields.items()},
            kind=self.kind.currentData(),
            tax_residence=self.tax_residence.currentData() or "",
            currency=self.currency.currentData() or "",
            address=self.address.toPlainText(),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        try:
            with self.database.transaction() as session:
                self.saved_id = parties.save_party(session, self.draft(), user=current_user())
        except ValidationError as error:
            show_problems(self.problems, error.problems)
            return
        except UserError as error:
            show_user_error(self, error, "Cannot save the party")
            return
        self.original = self.draft()
        super().accept()

    def reject(self) -> None:
        if self.draft() != self.original:
            answer = QMessageBox.question(
                self, "Unsaved changes", "Discard your changes to this party?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
