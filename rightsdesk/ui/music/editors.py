"""Dialogs of the music area: a track with its writers and publishers, a licence for it, and
booking what something cost as an expense of a deal."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.enums import CreditRole, LicenceStatus, PartyKind
from rightsdesk.domain.errors import Problem, UserError
from rightsdesk.domain.music import NEXT, CreditDraft, LicenceDraft
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.persistence.database import Database
from rightsdesk.services import deals, music, reference
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.services.audit import current_user
from rightsdesk.ui.actions import run
from rightsdesk.ui.forms import DraftEditor, add_history_button, amount_text, currency_box, explain_number, date_edit, lay_out_dialog, date_of, number_of, problems_label, show_problems
from rightsdesk.ui.territory_picker import with_pick_button

STATUS_NAMES = {status: status.value.replace("_", " ") for status in LicenceStatus}
CREDIT_HEADERS = ("Role", "Name", "Share %", "Society", "IPI")


class TrackEditor(DraftEditor):
    noun = "track"

    def load_saved(self, session: UnitOfWork) -> object | None:
        return music.load_track(session, self.original.id) if self.original.id else None

    def __init__(self, database: Database, track_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        with database.read() as session:
            self.original = music.load_track(session, track_id) if track_id else music.TrackDraft("")
        self.setWindowTitle(f"Track: {self.original.title}" if track_id else "New track")
        add_history_button(self, self.buttons, database, "music_track", track_id, self.original.title)
        self.setObjectName("track-editor")
        self.resize(720, 480)
        self.title = QLineEdit(self.original.title, objectName="title")
        self.isrc = QLineEdit(self.original.isrc, objectName="isrc", placeholderText="e.g. USRC17607839")
        self.iswc = QLineEdit(self.original.iswc, objectName="iswc", placeholderText="e.g. T-345246800-1")
        self.notes = QPlainTextEdit(self.original.notes, objectName="notes", maximumHeight=60)
        self.credits = QTableWidget(0, len(CREDIT_HEADERS), objectName="credits")
        self.credits.setHorizontalHeaderLabels(CREDIT_HEADERS)
        self.credits.verticalHeader().hide()
        self.credits.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for credit in self.original.credits:
            self.add_credit(credit)
        add = QPushButton("&Add credit", clicked=lambda: self.add_credit(CreditDraft(CreditRole.COMPOSER, "")))
        remove = QPushButton("&Remove credit", clicked=lambda: self.credits.removeRow(self.credits.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("IS&RC", self.isrc)
        form.addRow("IS&WC", self.iswc)
        form.addRow("&Notes", self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(self.credits, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.buttons)

    def add_credit(self, credit: CreditDraft) -> None:
        row = self.credits.rowCount()
        self.credits.insertRow(row)
        role = QComboBox()
        for value in CreditRole:
            role.addItem(value.value, value)
        role.setCurrentIndex(role.findData(credit.role))
        self.credits.setCellWidget(row, 0, role)
        share = "" if credit.share_percent is None else f"{credit.share_percent.normalize():f}"
        for column, text in ((1, credit.name), (2, share), (3, credit.society), (4, credit.ipi)):
            self.credits.setItem(row, column, QTableWidgetItem(text))

    def draft_checked(self, problems: list[Problem]) -> music.TrackDraft:
        def cell(row: int, column: int) -> str:
            item = self.credits.item(row, column)
            return item.text().strip() if item else ""

        credits = []
        for row in range(self.credits.rowCount()):
            role = self.credits.cellWidget(row, 0)
            assert isinstance(role, QComboBox)
            credits.append(CreditDraft(CreditRole(role.currentData()), cell(row, 1),
                                       number_of(cell(row, 2), f"credit {row + 1}", problems, empty=None),
                                       cell(row, 3).upper(), cell(row, 4)))
        return dataclasses.replace(self.original, title=self.title.text().strip(), isrc=self.isrc.text().strip(),
                                   iswc=self.iswc.text().strip(), credits=credits, notes=self.notes.toPlainText())

    def write(self, draft: object) -> int:
        assert isinstance(draft, music.TrackDraft)
        return run(self.database, music.save_track, draft, user=current_user())


class LicenceEditor(DraftEditor):
    noun = "licence"

    def load_saved(self, session: UnitOfWork) -> object | None:
        return music.load_licence(session, self.original.id) if self.original.id else None

    def __init__(self, database: Database, track_id: int, licence_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        with database.read() as session:
            self.original = music.load_licence(session, licence_id) if licence_id else LicenceDraft(track_id)
            track = music.load_track(session, track_id).title
            parties = deals.counterparty_choices(session)
            currencies = sorted(reference.currency_codes(session))
            self.groups = reference.territory_groups(session)
        self.setWindowTitle(f"Licence for “{track}”")
        add_history_button(self, self.buttons, database, "music_licence", licence_id, f"for “{track}”")
        self.setObjectName("licence-editor")
        self.resize(620, 620)
        draft = self.original
        self.licensor = QComboBox(objectName="licensor")
        self.licensor.addItem("", None)
        rights_holders = {PartyKind.MUSIC_PUBLISHER.value, PartyKind.RECORD_LABEL.value}
        for party_id, name, kind in sorted(parties, key=lambda p: (p[2] not in rights_holders, p[1].casefold())):
            self.licensor.addItem(f"{name} ({kind.replace('_', ' ')})", party_id)
        self.licensor.setCurrentIndex(max(0, self.licensor.findData(draft.licensor_id)))
        self.sync = QCheckBox("&Sync (the composition)", objectName="sync", checked=draft.covers_sync)
        self.master = QCheckBox("&Master (the recording)", objectName="master", checked=draft.covers_master)
        self.status = QComboBox(objectName="status")
        # Only the steps the workflow allows from where the licence stands (anything when new).
        allowed = [draft.status, *sorted(NEXT[draft.status], key=list(LicenceStatus).index)] if licence_id else list(LicenceStatus)
        for status in allowed:
            self.status.addItem(STATUS_NAMES[status], status)
        self.status.setCurrentIndex(max(0, self.status.findData(draft.status)))
        self.territories = QLineEdit(draft.territories.describe() if draft.territories.items else "", objectName="territories",
                                     placeholderText="e.g. WORLD excluding CN, or US CA GB")
        self.media = QLineEdit(" ".join(draft.media), objectName="media", placeholderText="every media; or e.g. APP AVOD")
        self.term_start = date_edit(draft.term_start, "term_start")
        self.term_end = date_edit(draft.term_end, "term_end")
        self.fee = QLineEdit(amount_text(draft.fee), objectName="fee")
        explain_number(self.fee)
        self.currency = currency_box(currencies, draft.currency)
        self.requested_on = date_edit(draft.requested_on, "requested_on")
        self.answered_on = date_edit(draft.answered_on, "answered_on")
        self.document = QLineEdit(draft.document_reference, objectName="document",
                                  placeholderText="where the signed licence is filed: a path, a link or a reference")
        self.notes = QPlainTextEdit(draft.notes, objectName="notes", maximumHeight=70)
        rights = QHBoxLayout()
        rights.addWidget(self.sync)
        rights.addWidget(self.master)
        term = QHBoxLayout()
        term.addWidget(self.term_start)
        term.addWidget(self.term_end)
        fee = QHBoxLayout()
        fee.addWidget(self.fee, 1)
        fee.addWidget(self.currency)
        form = QFormLayout()
        form.addRow("Track", QLineEdit(track, readOnly=True))
        form.addRow("&Licensor", self.licensor)
        form.addRow("Rights", rights)
        form.addRow("S&tatus", self.status)
        form.addRow("Te&rritories", with_pick_button(self.territories, database, "territories"))
        form.addRow("&Media", self.media)
        form.addRow("Term (from, to)", term)
        form.addRow("&Fee", fee)
        form.addRow("Requested on", self.requested_on)
        form.addRow("Answered on", self.answered_on)
        form.addRow("&Document", self.document)
        form.addRow("N&otes", self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def draft_checked(self, problems: list[Problem]) -> LicenceDraft:
        return dataclasses.replace(
            self.original, licensor_id=self.licensor.currentData(), covers_sync=self.sync.isChecked(),
            covers_master=self.master.isChecked(), status=LicenceStatus(self.status.currentData()),
            territories=TerritoryScope.parse(self.territories.text(), self.groups),
            media=self.media.text().replace(",", " ").split(),  # the service finds each medium whatever the case
            term_start=date_of(self.term_start), term_end=date_of(self.term_end),
            fee=number_of(self.fee.text(), "fee", problems, empty=None), currency=self.currency.currentData() or "",
            requested_on=date_of(self.requested_on), answered_on=date_of(self.answered_on),
            document_reference=self.document.text().strip(), notes=self.notes.toPlainText())

    def write(self, draft: object) -> int:
        assert isinstance(draft, LicenceDraft)
        return run(self.database, music.save_licence, draft, user=current_user())


class BookExpenseDialog(QDialog):
    """Which deal a fee or cost is an expense of, when, and whether it is recouped."""

    def __init__(self, database: Database, what: str, book: Callable[[int, date, bool], int], parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.expense_id: int | None = None
        self.setWindowTitle("Book as a deal expense")
        self.setObjectName("book-expense")
        with database.read() as session:
            references = deals.deal_references(session)
        self.deal = QComboBox(objectName="deal", editable=True)
        self.deal.addItems(references)
        self.deal.setCurrentIndex(-1)
        self.deal.lineEdit().setPlaceholderText("the deal whose statements recoup it")
        self.database = database
        self.incurred_on = date_edit(date.today(), "incurred_on")
        self.recoupable = QCheckBox("Recoupable from the participant's share", objectName="recoupable", checked=True)
        self.problems = problems_label()
        form = QFormLayout()
        form.addRow("Expense", QLineEdit(what, readOnly=True))
        form.addRow("&Deal", self.deal)
        form.addRow("&Incurred on", self.incurred_on)
        form.addRow("", self.recoupable)
        lay_out_dialog(self, form, self.problems, "&Book")

    def accept(self) -> None:
        with self.database.read() as session:
            found = deals.deal_id_of(session, self.deal.currentText().strip())
        if found is None:
            show_problems(self.problems, f"There is no deal '{self.deal.currentText().strip()}'.")
            return
        try:
            self.expense_id = self.book(found, date_of(self.incurred_on) or date.today(), self.recoupable.isChecked())
        except UserError as error:
            show_problems(self.problems, str(error))
            return
        super().accept()

