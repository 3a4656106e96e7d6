"""The royalty terms and expenses of a deal, as tabs of the deal editor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.enums import ExpenseCategory, FxDateRule, LibrarySplitRule, StatementFrequency
from rightsdesk.domain.errors import Problem, ValidationError
from rightsdesk.domain.reading import Refused, parse_date
from rightsdesk.services.royalty_terms import ExpenseDraft, TermsDraft
from rightsdesk.ui.formatting import decimal_text
from rightsdesk.ui.forms import explain_number, number_of


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item else ""


def _set_row(table: QTableWidget, values: list[str]) -> None:
    row = table.rowCount()
    table.insertRow(row)
    for column, value in enumerate(values):
        table.setItem(row, column, QTableWidgetItem(value))


class TermsTab(QWidget):
    """Royalty terms: fee, fee rates by media/territory, expense cap, MG, tiers, withholding..."""

    def __init__(self, terms: TermsDraft | None, parties: list[tuple[int, str, str]], currencies: list[str],
                 parent: QWidget | None = None, *, titles: dict[int, str] | None = None):
        super().__init__(parent)
        self.titles = dict(titles or {})
        self.original = terms
        self.has_terms = QCheckBox("This deal pays royalties (statements are run for it)", objectName="has-terms",
                                   checked=terms is not None)
        terms = terms or TermsDraft(None)
        self.participant = QComboBox(objectName="terms-participant")
        self.participant.addItem("", None)
        for party_id, name, kind in parties:
            self.participant.addItem(f"{name} ({kind.replace('_', ' ')})", party_id)
        self.participant.setCurrentIndex(max(0, self.participant.findData(terms.participant_id)))
        self.currency = QComboBox(objectName="terms-currency")
        self.currency.addItems(currencies)
        self.currency.setCurrentText(terms.currency)
        self.fee = QLineEdit(decimal_text(terms.default_fee_percent), objectName="terms-fee")
        self.fee_rates = _table(["Media", "Territory", "Fee %"], "terms-fee-rates")
        for media, territory, percent in terms.fee_rates:
            _set_row(self.fee_rates, [media or "", territory or "", decimal_text(percent)])
        add_rate = QPushButton("Add fee rate")
        add_rate.clicked.connect(lambda: _set_row(self.fee_rates, ["", "", ""]))
        self.cap = QLineEdit("" if terms.expense_cap is None else decimal_text(terms.expense_cap),
                             objectName="terms-cap", placeholderText="no cap")
        self.cap_per_title = QCheckBox("per title (default: the deal's, all titles together)",
                                       objectName="terms-cap-per-title", checked=terms.expense_cap_per_title)
        # The MG schedule: a payment counts from the statement whose period holds its date.
        self.mg = _table(["Amount", "Paid on (YYYY-MM-DD)", "Title"], "terms-mg")
        for amount, paid_on, title_id in terms.mg_payments:
            self._add_payment(decimal_text(amount), paid_on.isoformat(), title_id)
        add_payment = QPushButton("Add MG payment", objectName="terms-add-mg")
        add_payment.clicked.connect(lambda: self._add_payment("", "", None))
        self.reserve = QLineEdit(decimal_text(terms.reserve_percent), objectName="terms-reserve")
        self.reserve_periods = QLineEdit(str(terms.reserve_periods), objectName="terms-reserve-periods")
        self.tiers = _table(["From cumulative net receipts", "Participant share %"], "terms-tiers")
        for floor, percent in terms.tiers:
            _set_row(self.tiers, [decimal_text(floor), decimal_text(percent)])
        add_tier = QPushButton("Add tier")
        add_tier.clicked.connect(lambda: _set_row(self.tiers, ["", ""]))
        self.cross = QCheckBox("Cross-collateralized (one waterfall and MG pool for all titles)",
                               objectName="terms-cross", checked=terms.cross_collateralized)
        self.withholding = QLineEdit(decimal_text(terms.withholding_percent), objectName="terms-withholding")
        # Payment terms (issue 20): when a statement is due, and the payout under which it is carried.
        self.due_days = QLineEdit(str(terms.payment_due_days), objectName="terms-due-days")
        self.due_days.setToolTip("A statement is due this many days after it is issued; after that it is overdue on Home")
        self.minimum_payout = QLineEdit("" if terms.minimum_payout is None else decimal_text(terms.minimum_payout),
                                        objectName="terms-minimum-payout", placeholderText="the participant's own, if any")
        self.minimum_payout.setToolTip("A payable under this (in the terms' currency) is not paid but carried to the "
                                       "next statement")
        for field in (self.fee, self.cap, self.reserve, self.withholding, self.minimum_payout):
            explain_number(field)
        self.frequency = QComboBox(objectName="terms-frequency")
        for value in StatementFrequency:
            self.frequency.addItem(value.value.replace("_", "-"), value)
        self.frequency.setCurrentIndex(self.frequency.findData(terms.frequency))
        self.split_rule = QComboBox(objectName="terms-split")
        for value in LibrarySplitRule:
            self.split_rule.addItem(value.value.replace("_", " "), value)
        self.split_rule.setCurrentIndex(self.split_rule.findData(terms.library_split_rule))
        self.fx_rule = QComboBox(objectName="terms-fx")
        self.fx_rule.addItem("most recent rate on or before the statement period's last day", FxDateRule.PERIOD_END)
        self.fx_rule.addItem("most recent rate on or before each line's own period end", FxDateRule.LINE_PERIOD_END)
        self.fx_rule.setCurrentIndex(self.fx_rule.findData(terms.fx_date_rule))

        for small in (self.fee_rates, self.tiers, self.mg):
            small.setMaximumHeight(120)
        form = QFormLayout()
        form.addRow(self.has_terms)
        form.addRow("Participant (paid)", self.participant)
        form.addRow("Currency", self.currency)
        form.addRow("Distribution fee %", self.fee)
        rates = QVBoxLayout()
        rates.addWidget(self.fee_rates)
        rates.addWidget(add_rate)
        form.addRow("Fee by media / territory", rates)
        cap_row = QHBoxLayout()
        cap_row.addWidget(self.cap)
        cap_row.addWidget(self.cap_per_title)
        form.addRow("Expense cap", cap_row)
        payments = QVBoxLayout()
        payments.addWidget(self.mg)
        payments.addWidget(add_payment)
        form.addRow("Minimum guarantee", payments)
        reserve_row = QHBoxLayout()
        reserve_row.addWidget(self.reserve)
        reserve_row.addWidget(QLabel("% of the share, held for"))
        reserve_row.addWidget(self.reserve_periods)
        reserve_row.addWidget(QLabel("statement periods"))
        form.addRow("Reserve against returns", reserve_row)
        tiers = QVBoxLayout()
        tiers.addWidget(self.tiers)
        tiers.addWidget(add_tier)
        form.addRow("Share tiers", tiers)
        form.addRow("", self.cross)
        form.addRow("Withholding tax %", self.withholding)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_days)
        due_row.addWidget(QLabel("days after the statement is issued"))
        form.addRow("Payment due", due_row)
        form.addRow("Minimum payout", self.minimum_payout)
        form.addRow("Statements", self.frequency)
        form.addRow("Library revenue split by", self.split_rule)
        form.addRow("FX", self.fx_rule)
        self.setLayout(form)

    def _add_payment(self, amount: str, paid_on: str, title_id: int | None) -> None:
        _set_row(self.mg, [amount, paid_on])
        title = QComboBox()
        title.addItem("whole deal", None)
        for known_id, name in sorted(self.titles.items(), key=lambda item: item[1]):
            title.addItem(name, known_id)
        if title_id is not None and title.findData(title_id) < 0:
            title.addItem(f"title {title_id}", title_id)
        title.setCurrentIndex(max(0, title.findData(title_id)))
        self.mg.setCellWidget(self.mg.rowCount() - 1, 2, title)

    def _payments(self, problems: list[Problem]) -> list[tuple[Decimal, date, int | None]]:
        found = []
        for row in range(self.mg.rowCount()):
            amount, paid_on = _cell(self.mg, row, 0), _cell(self.mg, row, 1)
            if not amount and not paid_on:
                continue
            try:
                day = date.fromisoformat(paid_on)
            except ValueError:
                problems.append(Problem("minimum guarantee", f"'{paid_on}' is not a date (YYYY-MM-DD)"))
                continue
            title = self.mg.cellWidget(row, 2)
            found.append((number_of(amount, "minimum guarantee", problems) or Decimal(0), day,
                          title.currentData() if isinstance(title, QComboBox) else None))
        return found

    def _reserve_periods(self, problems: list[Problem]) -> int:
        typed = self.reserve_periods.text().strip() or "0"
        if not typed.isdigit():
            problems.append(Problem("reserve", f"'{typed}' is not a whole number of periods"))
            return 0
        return int(typed)

    def _due_days(self, problems: list[Problem]) -> int:
        typed = self.due_days.text().strip() or "45"
        if not typed.isdigit():
            problems.append(Problem("payment due", f"'{typed}' is not a whole number of days"))
            return 45
        return int(typed)

    def terms(self) -> TermsDraft | None:
        """The terms as typed, or None when the deal pays no royalties; unreadable numbers raise."""
        if not self.has_terms.isChecked():
            return None
        problems: list[Problem] = []
        # the media as typed: saving finds the medium whatever the case
        rates = [(_cell(self.fee_rates, r, 0) or None, _cell(self.fee_rates, r, 1).upper() or None,
                  number_of(_cell(self.fee_rates, r, 2), "fees", problems) or Decimal(0))
                 for r in range(self.fee_rates.rowCount()) if any(_cell(self.fee_rates, r, c) for c in range(3))]
        tiers = [(number_of(_cell(self.tiers, r, 0), "share", problems) or Decimal(0),
                  number_of(_cell(self.tiers, r, 1), "share", problems) or Decimal(0))
                 for r in range(self.tiers.rowCount()) if any(_cell(self.tiers, r, c) for c in range(2))]
        draft = TermsDraft(
            self.participant.currentData(), self.currency.currentText(),
            number_of(self.fee.text(), "fee", problems) or Decimal(0), rates,
            number_of(self.cap.text(), "expense cap", problems, empty=None),
            self._payments(problems), tiers,
            self.cross.isChecked(), number_of(self.withholding.text(), "withholding", problems) or Decimal(0),
            StatementFrequency(self.frequency.currentData()), self.original.first_period_start if self.original else None,
            LibrarySplitRule(self.split_rule.currentData()),
            FxDateRule(self.fx_rule.currentData()), self.cap_per_title.isChecked(),
            number_of(self.reserve.text(), "reserve", problems) or Decimal(0),
            self._reserve_periods(problems),
            self.original.version if self.original else None,
            self._due_days(problems), number_of(self.minimum_payout.text(), "minimum payout", problems, empty=None),
        )
        if problems:
            raise ValidationError(problems)
        return draft


class ExpensesTab(QWidget):
    """A deal's expenses; new rows are saved with the deal."""

    HEADERS = ["Category", "Incurred on", "Amount", "Currency", "Description", "Recoupable (yes/no)"]

    def __init__(self, expenses: list[ExpenseDraft], currency: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.currency = currency
        self.known = len(expenses)
        self.table = _table(self.HEADERS, "expenses")
        for expense in expenses:
            _set_row(self.table, [expense.category.value, str(expense.incurred_on), decimal_text(expense.amount),
                                  expense.currency, expense.description, "yes" if expense.recoupable else "no"])
        add = QPushButton("Add expense", objectName="add-expense")
        add.clicked.connect(lambda: _set_row(self.table, [ExpenseCategory.MARKETING.value, str(date.today()), "",
                                                          self.currency, "", "yes"]))
        hint = QLabel("Categories: " + ", ".join(c.value for c in ExpenseCategory) + ". Recoupable expenses are "
                      "recouped from gross receipts up to the cap in the royalty terms.", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(add)
        layout.addWidget(hint)

    def new_expenses(self) -> list[ExpenseDraft]:
        problems: list[Problem] = []
        found = []
        for row in range(self.known, self.table.rowCount()):
            where = f"expense {row + 1}"
            category = _cell(self.table, row, 0).lower()
            if category not in {c.value for c in ExpenseCategory}:
                problems.append(Problem(where, f"'{category}' is not a category"))
                continue
            try:
                incurred = parse_date(_cell(self.table, row, 1), "iso")
            except Refused as refused:
                problems.append(Problem(where, f"'{_cell(self.table, row, 1)}' {refused} (YYYY-MM-DD)"))
                continue
            amount = number_of(_cell(self.table, row, 2), where, problems) or Decimal(0)
            found.append(ExpenseDraft(ExpenseCategory(category), incurred, amount, _cell(self.table, row, 3),
                                      _cell(self.table, row, 4), _cell(self.table, row, 5).lower() not in ("no", "n", "false")))
        if problems:
            raise ValidationError(problems)
        return found
