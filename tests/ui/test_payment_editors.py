"""Issue 20 in the editors: a party's bank details (masked until shown), minimum payout and
statement contacts; a deal's payment terms and minimum payout."""

from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from rightsdesk.domain.errors import ValidationError
from rightsdesk.domain.parties import ContactDraft, PartyDraft
from rightsdesk.services import parties
from rightsdesk.services.royalty_terms import TermsDraft
from rightsdesk.ui.deals.terms_tab import TermsTab
from rightsdesk.ui.parties.party_editor import PartyEditor


def save(qtbot, editor):
    qtbot.mouseClick(editor.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_bank_details_and_statement_contacts_are_entered_in_the_party_editor(qtbot, database):
    with database.transaction() as session:
        party_id = parties.save_party(session, PartyDraft("Golden Reel", contacts=[ContactDraft("Mei", email="mei@gr.example")]),
                                      user="ana")
    editor = PartyEditor(database, party_id)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.masked.text() == "no bank details"
    iban = editor.bank_fields["iban"]
    assert iban.echoMode() == QLineEdit.EchoMode.Password  # never on screen unless asked
    qtbot.keyClicks(iban, "DE89 3704 0044 0532 0130 01")  # a wrong check digit
    qtbot.keyClicks(editor.minimum_payout, "100")
    editor.contacts.item(0, 4).setCheckState(Qt.CheckState.Checked)
    editor.statement_workbook.setChecked(True)
    save(qtbot, editor)
    assert editor.problems.isVisible() and "not a valid IBAN" in editor.problems.text()
    iban.clear()
    qtbot.keyClicks(iban, "DE89 3704 0044 0532 0130 00")
    save(qtbot, editor)
    assert editor.result() == PartyEditor.DialogCode.Accepted
    with database.read() as session:
        saved = parties.load_party(session, party_id)
    assert (saved.iban, saved.minimum_payout, saved.statement_workbook) == ("DE89370400440532013000", D(100), True)
    assert [(c.name, c.receives_statements) for c in saved.contacts] == [("Mei", True)]

    again = PartyEditor(database, party_id)
    qtbot.addWidget(again)
    assert again.masked.text() == "IBAN DE•••• 3000"
    again.show_numbers.setChecked(True)
    assert again.bank_fields["iban"].echoMode() == QLineEdit.EchoMode.Normal


def test_payment_terms_and_minimum_payout_in_the_terms_tab(qtbot):
    tab = TermsTab(TermsDraft(1, payment_due_days=30, minimum_payout=D("50")), [(1, "Golden Reel", "producer")], ["USD"])
    qtbot.addWidget(tab)
    assert (tab.due_days.text(), tab.minimum_payout.text()) == ("30", "50")
    tab.due_days.setText("60")
    tab.minimum_payout.setText("")
    terms = tab.terms()
    assert (terms.payment_due_days, terms.minimum_payout) == (60, None)
    tab.due_days.setText("sixty")
    with pytest.raises(ValidationError, match="not a whole number of days"):
        tab.terms()


def test_payment_terms_are_saved_with_the_deal(database, worked):
    from rightsdesk.services import royalty_terms

    with database.transaction() as session:
        terms = royalty_terms.load_terms(session, worked["deal"])
        assert (terms.payment_due_days, terms.minimum_payout) == (45, None)
        royalty_terms.save_terms(session, worked["deal"], TermsDraft(**{**terms.__dict__, "payment_due_days": 30,
                                                                         "minimum_payout": D("25.00")}), user="ana")
    with database.read() as session:
        terms = royalty_terms.load_terms(session, worked["deal"])
    assert (terms.payment_due_days, terms.minimum_payout) == (30, D("25.00"))
    with pytest.raises(ValidationError, match="not a payment term"), database.transaction() as session:
        royalty_terms.save_terms(session, worked["deal"], TermsDraft(**{**terms.__dict__, "payment_due_days": -1}), user="ana")
