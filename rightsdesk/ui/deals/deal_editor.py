"""The deal editor: who, what reference, status and currency, the deal's grants, its royalty
terms and expenses, saved as one through the editors' one save path (forms.DraftEditor).

Saving goes through the deals service, which checks every OUT grant against the rights already
there. A signed deal that clashes is refused; the clashes are listed and the user may keep the
deal as a draft instead.
"""

from __future__ import annotations

import copy
import dataclasses

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain import avails
from rightsdesk.domain.enums import DealDirection, DealStatus
from rightsdesk.domain.changes import Difference, differences
from rightsdesk.domain.errors import Problem, UserError, ValidationError
from rightsdesk.domain.rights import DealDraft, GrantDraft
from rightsdesk.domain.words import plural
from rightsdesk.persistence.database import Database
from rightsdesk.services import deal_editing, deals, reference, royalty_terms
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.services.audit import current_user, snapshot
from rightsdesk.ui.actions import run
from rightsdesk.ui.deals.grant_editor import GrantEditor
from rightsdesk.ui.deals.terms_tab import ExpensesTab, TermsTab
from rightsdesk.ui.forms import (DraftEditor, add_history_button, date_edit, date_of, edits, scrolling, show_problems,
                                 size_for_screen)

DIRECTION_NAMES = {DealDirection.IN: "IN: rights acquired", DealDirection.OUT: "OUT: rights licensed"}
GRANT_HEADERS = ("Titles / libraries", "Territories", "Media", "Languages", "Term", "Exclusive", "Holdbacks")


class DealEditor(DraftEditor):
    """Edits one deal (or a new one). `saved_id` is set once it has been saved."""

    noun = "deal"

    def __init__(self, database: Database, deal_id: int | None = None, *,
                 direction: DealDirection = DealDirection.OUT, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.warnings: list[str] = []
        with database.read() as session:
            self.original = deals.load_deal(session, deal_id) if deal_id is not None else DealDraft(direction)
            parties = deals.counterparty_choices(session)
            currencies = sorted(reference.currency_codes(session))
            self.libraries = {i: code for i, code, _ in deals.library_choices(session)}
            self.title_names = deals.title_names(session, sorted({t.title_id for g in self.original.grants for t in g.titles}))
            terms = royalty_terms.load_terms(session, deal_id) if deal_id is not None else None
            expenses = royalty_terms.expenses(session, deal_id) if deal_id is not None else []
        self.setObjectName("deal-editor")
        size_for_screen(self, 1100, 860)  # (the royalty terms in full where the screen has room)

        self.direction = QComboBox(objectName="direction")
        for value, label in DIRECTION_NAMES.items():
            self.direction.addItem(label, value)
        self.counterparty = QComboBox(objectName="counterparty")
        self.counterparty.setEditable(True)
        self.counterparty.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.counterparty.addItem("", None)
        for party_id, name, kind in parties:
            self.counterparty.addItem(f"{name} ({kind.replace('_', ' ')})", party_id)
        self.reference = QLineEdit(objectName="reference", placeholderText="e.g. OUT-2026-0042")
        self.signed_on = date_edit(None, "signed-on")
        self.status = QComboBox(objectName="status")
        for status in DealStatus:
            self.status.addItem(status.value.title(), status)
        self.currency = QComboBox(objectName="currency")
        self.currency.addItems(currencies)
        self.notes = QPlainTextEdit(objectName="deal-notes")
        self.notes.setMaximumHeight(60)
        form = QFormLayout()
        form.addRow("&Direction", self.direction)
        form.addRow("C&ounterparty", self.counterparty)
        form.addRow("&Reference", self.reference)
        form.addRow("&Signed on", self.signed_on)
        form.addRow("S&tatus", self.status)
        form.addRow("C&urrency", self.currency)
        form.addRow("&Notes", self.notes)

        self.grant_table = QTableWidget(0, len(GRANT_HEADERS), objectName="grants")
        self.grant_table.setHorizontalHeaderLabels(GRANT_HEADERS)
        self.grant_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grant_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grant_table.verticalHeader().hide()
        self.grant_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.grant_table.horizontalHeader().setStretchLastSection(True)
        self.grant_table.setWordWrap(False)
        self.grant_table.doubleClicked.connect(lambda index: self.edit_grant(index.row()))
        add = QPushButton("&Add grant…", objectName="add-grant")
        add.clicked.connect(lambda: self.edit_grant(None))
        edit = QPushButton("&Edit grant…")
        edit.clicked.connect(lambda: self.edit_grant(self.grant_table.currentRow()))
        remove = QPushButton("Re&move grant", objectName="remove-grant")
        remove.clicked.connect(self.remove_grant)
        edits(add, remove)
        grants_box = QWidget()  # the tab says "Grants"
        grants_layout = QVBoxLayout(grants_box)
        grants_layout.addWidget(self.grant_table)
        buttons_row = QHBoxLayout()
        for button in (add, edit, remove):
            buttons_row.addWidget(button)
        buttons_row.addStretch()
        grants_layout.addLayout(buttons_row)

        add_history_button(self, self.buttons, database, "deal", deal_id, self.original.reference)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        self.terms_choices = (parties, currencies)
        self.terms_tab = TermsTab(terms, parties, currencies, titles=self.title_names)
        self.expenses_tab = ExpensesTab(expenses, self.original.currency)
        self.tabs = QTabWidget(objectName="deal-tabs")
        self.tabs.addTab(grants_box, "&Grants")
        self.tabs.addTab(scrolling(self.terms_tab), "Royalty &terms")  # (taller than a 1280 × 720 screen)
        self.tabs.addTab(self.expenses_tab, "E&xpenses")
        columns.addWidget(self.tabs, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

        self.grants: list[GrantDraft] = []
        self.show_draft(self.original)

    # -- between the form and a draft -------------------------------------------------------

    def show_draft(self, draft: DealDraft) -> None:
        self.setWindowTitle(f"Deal {draft.reference}" if draft.id else "New deal")
        self.direction.setCurrentIndex(self.direction.findData(draft.direction))
        self.counterparty.setCurrentIndex(max(0, self.counterparty.findData(draft.counterparty_id)))
        self.reference.setText(draft.reference)
        self.signed_on.setDate(date_edit(draft.signed_on, "").date())
        self.status.setCurrentIndex(self.status.findData(draft.status))
        self.currency.setCurrentText(draft.currency)
        self.notes.setPlainText(draft.notes)
        self.grants = copy.deepcopy(draft.grants)
        self._show_grants()

    def draft_checked(self, problems: list[Problem]) -> DealDraft:
        return self.draft()

    def draft(self) -> DealDraft:
        """The deal as the form holds it (its terms and expenses are read when saving)."""
        return DealDraft(
            id=self.original.id, version=self.original.version,
            # Qt hands enum data back as plain strings
            direction=DealDirection(self.direction.currentData()),
            counterparty_id=self.counterparty.currentData(), reference=self.reference.text(),
            signed_on=date_of(self.signed_on), status=DealStatus(self.status.currentData()),
            currency=self.currency.currentText(), notes=self.notes.toPlainText(), grants=copy.deepcopy(self.grants),
        )

    def is_dirty(self) -> bool:
        if self.draft() != self.original:
            return True
        try:
            return self.terms_tab.terms() != self.terms_tab.original or bool(self.expenses_tab.new_expenses())
        except ValidationError:  # something half-typed is a change too
            return True

    def _show_grants(self) -> None:
        self.grant_table.setRowCount(len(self.grants))
        for row, grant in enumerate(self.grants):
            titles = [self.title_names.get(t.title_id, str(t.title_id)) + (
                f" ep. {t.first_episode or 1}-{t.last_episode or 'end'}" if t.episodes else "") for t in grant.titles]
            titles += [f"library {self.libraries.get(lib, lib)}" for lib in grant.libraries]
            shown = "; ".join(titles[:3]) + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
            values = (shown, grant.territories.describe(), ", ".join(grant.media), ", ".join(grant.languages) or "all",
                      grant.pending or avails.term_text(grant.term_start, grant.term_end), "yes" if grant.exclusive else "no",
                      "; ".join(f"no {', '.join(h.media)} in {h.territories.describe()}" for h in grant.holdbacks))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip("\n".join(titles) if column == 0 else value)
                self.grant_table.setItem(row, column, item)
        self.grant_table.resizeColumnsToContents()
        header = self.grant_table.horizontalHeader()
        for column in range(header.count() - 1):
            header.resizeSection(column, min(header.sectionSize(column), 240))

    # -- grants -----------------------------------------------------------------------------

    def edit_grant(self, row: int | None) -> None:
        if row is not None and not 0 <= row < len(self.grants):
            return
        grant = copy.deepcopy(self.grants[row]) if row is not None else GrantDraft()
        editor = GrantEditor(self.database, grant, self)
        if editor.exec():
            with self.database.read() as session:
                self.title_names.update(deals.title_names(session, [t.title_id for t in editor.result_grant.titles]))
            if row is None:
                self.grants.append(editor.result_grant)
            else:
                self.grants[row] = editor.result_grant
            self._show_grants()

    def remove_grant(self) -> None:
        row = self.grant_table.currentRow()
        if 0 <= row < len(self.grants):
            answer = QMessageBox.question(self, "Remove grant", "Remove this grant from the deal? "
                                          "It goes when you save the deal.")
            if answer == QMessageBox.StandardButton.Yes:
                del self.grants[row]
                self._show_grants()

    # -- saving -----------------------------------------------------------------------------

    def write(self, draft: DealDraft) -> int:
        """The deal, its terms and the expenses added, saved as one; then what clashes with it
        (a draft's clashes, or later deals clashing with a signed one) is shown as a warning."""
        terms, new_expenses = self.terms_tab.terms(), self.expenses_tab.new_expenses()
        saved = run(self.database, deal_editing.save_deal_as_edited, draft, terms, new_expenses, user=current_user())
        self.warnings = saved.clashes
        if saved.clashes:
            listed = ("\n".join(f"• {c}" for c in saved.clashes[:20])
                      + (f"\n… and {len(saved.clashes) - 20} more" if len(saved.clashes) > 20 else ""))
            if draft.status is DealStatus.SIGNED:  # its rights as signed; something later clashes with them
                QMessageBox.warning(self, "Saved; its rights clash with later deals",
                                    "The deal was saved with its rights as they were signed. They clash with rights "
                                    "granted since; look into these:\n\n" + listed)
            else:
                QMessageBox.warning(self, "Saved as a draft with clashes",
                                    "The deal was saved as a draft. Resolve these before signing it:\n\n" + listed)
        return saved.deal_id

    def refused(self, error: UserError, draft: DealDraft) -> bool:
        """A signed deal that clashes: its clashes listed, and the choice to keep it as a draft."""
        if not isinstance(error, deals.RightsConflict):
            return False
        show_problems(self.problems, error.clashes, "Clashes:")
        answer = QMessageBox.question(
            self, "Rights clash",
            f"{plural(len(error.clashes), 'clash', 'clashes')} with rights already granted or held, listed in the "
            "editor. A deal that clashes can only be kept as a draft.\n\nKeep it as a draft?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.status.setCurrentIndex(self.status.findData(DealStatus.DRAFT))
            self.save()
        return True

    def compare_with_saved(self, session: UnitOfWork, draft: DealDraft) -> list[Difference]:
        """The deal's differences, then its royalty terms' (someone may have saved only those)."""
        found = deals.compare_with_saved(session, draft)
        try:
            terms = self.terms_tab.terms()
        except ValidationError:  # (half typed: what reads of it is compared with the deal above)
            terms = None
        saved_terms = royalty_terms.load_terms(session, draft.id) if draft.id is not None else None
        if terms is not None and saved_terms is not None:
            found += [dataclasses.replace(d, field=f"royalty terms › {d.field}")
                      for d in differences(snapshot(saved_terms), snapshot(terms))]
        return found

    def load_saved(self, session: UnitOfWork) -> DealDraft | None:
        return deals.load_deal(session, self.original.id) if self.original.id is not None else None

    def reload(self) -> None:
        """The deal, its terms and expenses as saved now; edits made here are dropped."""
        deal_id = self.original.id
        assert deal_id is not None
        with self.database.read() as session:
            self.original = deals.load_deal(session, deal_id)
            self.title_names = deals.title_names(session, sorted({t.title_id for g in self.original.grants for t in g.titles}))
            terms = royalty_terms.load_terms(session, deal_id)
            expenses = royalty_terms.expenses(session, deal_id)
        self.show_draft(self.original)
        for index, tab in ((1, TermsTab(terms, *self.terms_choices, titles=self.title_names)),
                           (2, ExpensesTab(expenses, self.original.currency))):
            old = self.tabs.widget(index)
            label = self.tabs.tabText(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, label)
            old.deleteLater()
        self.terms_tab, self.expenses_tab = self.tabs.widget(1), self.tabs.widget(2)  # type: ignore[assignment]
        self.problems.hide()
