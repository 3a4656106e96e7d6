"""The party editor: a producer, platform, channel, publisher or vendor; where it is paid
(bank details, minimum payout) and who receives its statements (issue 20)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.enums import PartyKind
from rightsdesk.domain.errors import Problem, ValidationError
from rightsdesk.domain.parties import ContactDraft, PartyDraft
from rightsdesk.domain.payments import masked_account
from rightsdesk.persistence.database import Database
from rightsdesk.services import parties, reference
from rightsdesk.services.audit import current_user
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.ui.actions import run
from rightsdesk.ui.formatting import decimal_text
from rightsdesk.ui.forms import DraftEditor, currency_box, explain_number, number_of

KIND_NAMES = {kind: kind.value.replace("_", " ").capitalize() for kind in PartyKind}
_TEXT_FIELDS = ("name", "legal_name", "contact_name", "email", "phone", "tax_id", "payment_reference")
# Where royalties are paid; numbers are shown masked until "Show" is pressed.
_BANK_FIELDS = {"account_holder": "Account &holder", "iban": "&IBAN", "bic": "&BIC",
                "bank_account_number": "Account n&umber (no IBAN)", "bank_code": "Bank &code (routing, sort, branch)",
                "bank_name": "Ban&k"}
_SECRET = ("iban", "bank_account_number")
CONTACT_HEADERS = ("Name", "Role", "E-mail", "Phone", "Receives statements")


class PartyEditor(DraftEditor):
    """Edits one party (or a new one). `saved_id` is set once it has been saved."""

    noun = "party"

    def __init__(self, database: Database, party_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        with database.read() as session:
            self.original = parties.load_party(session, party_id) if party_id else PartyDraft(name="")
            countries = reference.countries(session)
            currencies = sorted(reference.currency_codes(session))
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
        self.bank_fields = {name: QLineEdit(objectName=name) for name in _BANK_FIELDS}
        for name in _SECRET:
            self.bank_fields[name].setEchoMode(QLineEdit.EchoMode.Password)
        self.show_numbers = QPushButton("&Show numbers", objectName="show-numbers", checkable=True)
        self.show_numbers.toggled.connect(self._reveal)
        self.masked = QLabel(objectName="bank-masked")
        self.minimum_payout = QLineEdit(objectName="minimum_payout", placeholderText="none")
        self.minimum_payout.setToolTip("A payable under this (in the statement's currency) is carried to the next "
                                       "statement; a deal's own minimum payout comes first")
        explain_number(self.minimum_payout)
        self.statement_workbook = QCheckBox("Statements by e-mail carry the &workbook too", objectName="statement_workbook")
        self.contacts = QTableWidget(0, len(CONTACT_HEADERS), objectName="contacts")
        self.contacts.setHorizontalHeaderLabels(CONTACT_HEADERS)
        self.contacts.verticalHeader().hide()
        self.contacts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.contacts.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        add_contact = QPushButton("&Add contact", objectName="add-contact", shortcut=QKeySequence("Ctrl+Shift+N"))
        add_contact.clicked.connect(lambda: self._add_contact(ContactDraft()))
        remove_contact = QPushButton("&Remove contact", objectName="remove-contact")
        remove_contact.clicked.connect(self._remove_contact)

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
        general = QWidget()
        general.setLayout(form)

        bank = QFormLayout()
        for name, label in _BANK_FIELDS.items():
            bank.addRow(label, self.bank_fields[name])
        shown_row = QHBoxLayout()
        shown_row.addWidget(self.masked, 1)
        shown_row.addWidget(self.show_numbers)
        bank.addRow("On file", shown_row)
        bank.addRow("&Minimum payout", self.minimum_payout)
        bank.addRow(QLabel("An IBAN (with its BIC), or for a country without IBAN the account number with its bank. "
                           "Checked when saved; shown masked elsewhere.", wordWrap=True))
        payment = QWidget(objectName="party-payment")
        payment.setLayout(bank)

        contacts = QVBoxLayout()
        contacts.addWidget(QLabel("Ticked contacts receive the party's statements by e-mail (else the party's own "
                                  "e-mail address).", wordWrap=True))
        contacts.addWidget(self.contacts)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add_contact)
        buttons_row.addWidget(remove_contact)
        buttons_row.addStretch(1)
        contacts.addLayout(buttons_row)
        contacts.addWidget(self.statement_workbook)
        people = QWidget(objectName="party-contacts")
        people.setLayout(contacts)

        self.tabs = QTabWidget(objectName="party-tabs")
        self.tabs.addTab(general, "&General")
        self.tabs.addTab(payment, "Pa&yment")
        self.tabs.addTab(people, "Con&tacts")

        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.show_draft(self.original)

    def show_draft(self, draft: PartyDraft) -> None:
        self.setWindowTitle(f"Party: {draft.name}" if draft.id else "New party")
        for name, field in self.fields.items():
            field.setText(getattr(draft, name))
        self.kind.setCurrentIndex(max(0, self.kind.findData(draft.kind)))
        self.tax_residence.setCurrentIndex(max(0, self.tax_residence.findData(draft.tax_residence)))
        self.currency.setCurrentIndex(max(0, self.currency.findData(draft.currency)))
        self.address.setPlainText(draft.address)
        self.notes.setPlainText(draft.notes)
        for name, field in self.bank_fields.items():
            field.setText(getattr(draft, name))
        self.masked.setText(masked_account(draft.bank) or "no bank details")
        self.minimum_payout.setText("" if draft.minimum_payout is None else decimal_text(draft.minimum_payout))
        self.statement_workbook.setChecked(draft.statement_workbook)
        self.contacts.setRowCount(0)
        for contact in draft.contacts:
            self._add_contact(contact)

    def _reveal(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for name in _SECRET:
            self.bank_fields[name].setEchoMode(mode)
        self.show_numbers.setText("&Hide numbers" if shown else "&Show numbers")

    def _add_contact(self, contact: ContactDraft) -> None:
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        for column, value in enumerate((contact.name, contact.role, contact.email, contact.phone)):
            self.contacts.setItem(row, column, QTableWidgetItem(value))
        tick = QTableWidgetItem()
        tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        tick.setCheckState(Qt.CheckState.Checked if contact.receives_statements else Qt.CheckState.Unchecked)
        self.contacts.setItem(row, 4, tick)

    def _remove_contact(self) -> None:
        row = self.contacts.currentRow()
        if row >= 0:
            self.contacts.removeRow(row)

    def _contacts(self) -> list[ContactDraft]:
        def text(row: int, column: int) -> str:
            item = self.contacts.item(row, column)
            return item.text() if item else ""

        found = []
        for row in range(self.contacts.rowCount()):
            tick = self.contacts.item(row, 4)
            found.append(ContactDraft(text(row, 0), text(row, 1), text(row, 2), text(row, 3),
                                      tick is not None and tick.checkState() == Qt.CheckState.Checked))
        # a row left empty is not a contact (the service drops it too): a stray "Add" is no change
        return [c for c in found if c.name.strip() or c.email.strip() or c.phone.strip()]

    def draft(self) -> PartyDraft:
        """The party as typed; a minimum payout that does not read as a number raises."""
        problems: list[Problem] = []
        draft = self.draft_checked(problems)
        if problems:
            raise ValidationError(problems)
        return draft

    def draft_checked(self, problems: list[Problem]) -> PartyDraft:
        """The party as typed; a minimum payout that does not read is noted in `problems`."""
        minimum = number_of(self.minimum_payout.text(), "minimum payout", problems, empty=None)
        return dataclasses.replace(
            self.original,
            **{name: field.text() for name, field in self.fields.items()},
            **{name: field.text() for name, field in self.bank_fields.items()},
            minimum_payout=minimum,
            statement_workbook=self.statement_workbook.isChecked(),
            contacts=self._contacts(),
            kind=self.kind.currentData(),
            tax_residence=self.tax_residence.currentData() or "",
            currency=self.currency.currentData() or "",
            address=self.address.toPlainText(),
            notes=self.notes.toPlainText(),
        )

    def is_dirty(self) -> bool:
        problems: list[Problem] = []
        return self.draft_checked(problems) != self.original or bool(problems)

    def load_saved(self, session: UnitOfWork) -> PartyDraft | None:
        return parties.load_party(session, self.original.id) if self.original.id else None

    def write(self, draft: PartyDraft) -> int:
        return run(self.database, parties.save_party, draft, user=current_user())
