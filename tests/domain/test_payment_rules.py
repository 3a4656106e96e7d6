"""Bank details checked and masked; when a statement is due and overdue."""

from datetime import date
from decimal import Decimal as D

from rightsdesk.domain.payments import (BankDetails, bank_problems, due_on, is_overdue, mask, masked_account,
                                        normalize_bank_details)


def test_an_iban_is_checked_by_its_check_digits_and_country_structure():
    good = normalize_bank_details(BankDetails(iban="de89 3704 0044 0532 0130 00", bic="cobadeffxxx"))
    assert (good.iban, good.bic, bank_problems(good)) == ("DE89370400440532013000", "COBADEFFXXX", [])
    [wrong] = bank_problems(BankDetails(iban="DE89370400440532013001"))
    assert wrong.where == "IBAN" and "not a valid IBAN" in wrong.message and "checksum" in wrong.message
    [bic] = bank_problems(BankDetails(iban="DE89370400440532013000", bic="COBADEFF1"))
    assert bic.where == "BIC"


def test_an_account_without_iban_needs_its_bank_and_one_account_only():
    assert bank_problems(BankDetails(account_number="6222020200112233445", bank_code="102100099996")) == []
    [bank] = bank_problems(BankDetails(account_number="6222020200112233445"))
    assert bank.where == "bank"
    assert [p.where for p in bank_problems(BankDetails(iban="DE89370400440532013000", account_number="1",
                                                       bic="COBADEFFXXX"))] == ["account number"]
    assert [p.where for p in bank_problems(BankDetails(bic="COBADEFFXXX"))] == ["IBAN"]


def test_numbers_are_shown_masked():
    assert mask("DE89 3704 0044 0532 0130 00") == "•••• 3000"
    assert mask("12345") == "••••" and mask("") == ""
    assert masked_account(BankDetails(iban="DE89370400440532013000")) == "IBAN DE•••• 3000"
    assert masked_account(BankDetails(account_number="6222020200112233445", bank_name="ICBC")) == "Account •••• 3445 (ICBC)"


def test_a_statement_is_overdue_the_day_after_its_due_date_while_owed():
    due = due_on(date(2027, 1, 10), 45)
    assert due == date(2027, 2, 24)
    assert not is_overdue(due, date(2027, 2, 24), D(1))
    assert is_overdue(due, date(2027, 2, 25), D(1))
    assert not is_overdue(due, date(2027, 3, 1), D(0))
