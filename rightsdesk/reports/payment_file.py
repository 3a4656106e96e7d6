"""A payment run as a file for the bank: ISO 20022 `pain.001.001.03` credit transfers, or a
CSV or workbook list for banks that take those. Pure functions from a run's plan to bytes.

pain.001.001.03 (Customer Credit Transfer Initiation, version 3) is the version every European
bank and most others accept. The file is written with lxml and validated against the official
schema (reports/schemas/pain.001.001.03.xsd, from ISO 20022's message archive) before it is
returned: a file the schema refuses is never handed to the user.

Why not `sepaxml`: it writes SEPA transfers only, to IBANs; royalties go to producers in China,
Korea or the US, whose accounts have no IBAN. The schema allows both (`IBAN` or `Othr/Id`), and
a bank code goes in the creditor agent's clearing-system member id.

One payment information block per currency, each with its number of transfers and control sum;
charges shared (SHAR) except SEPA transfers (EUR to an IBAN), which follow the service level (SLEV).
"""

from __future__ import annotations

import csv
import functools
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Font

from rightsdesk.domain.errors import UserError
from rightsdesk.reports import excel
from rightsdesk.services.payments import Payer, RunPlan, Transfer

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
SCHEMA = Path(__file__).with_name("schemas") / "pain.001.001.03.xsd"
LIST_HEADERS = ("Reference", "Participant", "Account holder", "IBAN or account number", "BIC", "Bank code",
                "Bank", "Country", "Currency", "Amount", "Execution date", "Statements")


class PaymentFileInvalid(UserError):
    """The bank file does not pass the pain.001 schema: what the schema said, line by line."""


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate(content: bytes) -> list[str]:
    """The schema's objections to a pain.001.001.03 file ([] when it is valid)."""
    schema = _schema()
    try:
        document = etree.fromstring(content)
    except etree.XMLSyntaxError as error:
        return [str(error)]
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]  # type: ignore[attr-defined]


def _text(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", **attributes)
    if text is not None:
        element.text = text
    return element


def _amount(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def _remittance(transfer: Transfer) -> str:
    """What the participant's bank statement shows: the statements paid (140 characters at most)."""
    numbers = ", ".join(s.number for s in transfer.statements)
    text = f"Royalties {numbers}"
    return text if len(text) <= 140 else f"Royalties {len(transfer.statements)} statements, ref {transfer.reference}"[:140]


def _sepa(transfer: Transfer) -> bool:
    return transfer.currency == "EUR" and bool(transfer.bank.iban)


def pain001(plan: RunPlan, payer: Payer, *, created: datetime | None = None) -> bytes:
    """The run as a pain.001.001.03 file, validated against the schema (PaymentFileInvalid if
    it does not pass, naming what). `payer` is the account the sales house pays from."""
    if not payer.iban:
        raise UserError("the account to pay from has no IBAN: give it (--from-iban, or Pay from in the app's "
                        "payment run); it is remembered for the next run")
    moment = (created or datetime.now(UTC)).replace(microsecond=0)
    root = etree.Element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE})
    initiation = _text(root, "CstmrCdtTrfInitn")
    header = _text(initiation, "GrpHdr")
    _text(header, "MsgId", plan.message_id[:35])
    _text(header, "CreDtTm", moment.strftime("%Y-%m-%dT%H:%M:%S"))
    _text(header, "NbOfTxs", str(len(plan.transfers)))
    # Control sums to the most decimals any currency of the file has (amounts are stored finer).
    places = {t.currency: t.minor_units for t in plan.transfers}
    _text(header, "CtrlSum", _amount(sum(plan.totals.values(), Decimal(0)), max(places.values(), default=2)))
    _text(_text(header, "InitgPty"), "Nm", payer.name[:140])
    for number, currency in enumerate(plan.totals, start=1):
        transfers = [t for t in plan.transfers if t.currency == currency]
        block = _text(initiation, "PmtInf")
        _text(block, "PmtInfId", f"{plan.message_id}-{currency}"[:35])
        _text(block, "PmtMtd", "TRF")
        _text(block, "BtchBookg", "false")  # one line per participant on our statement
        _text(block, "NbOfTxs", str(len(transfers)))
        _text(block, "CtrlSum", _amount(plan.totals[currency], places[currency]))
        if all(_sepa(t) for t in transfers):
            _text(_text(_text(block, "PmtTpInf"), "SvcLvl"), "Cd", "SEPA")
        _text(block, "ReqdExctnDt", plan.execution_date.isoformat())
        _text(_text(block, "Dbtr"), "Nm", payer.name[:70])
        _text(_text(_text(block, "DbtrAcct"), "Id"), "IBAN", payer.iban)
        debtor_bank = _text(_text(block, "DbtrAgt"), "FinInstnId")
        if payer.bic:
            _text(debtor_bank, "BIC", payer.bic)
        else:
            _text(_text(debtor_bank, "Othr"), "Id", "NOTPROVIDED")
        _text(block, "ChrgBr", "SLEV" if all(_sepa(t) for t in transfers) else "SHAR")
        for transfer in transfers:
            _transaction(block, transfer)
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    problems = validate(content)
    if problems:
        raise PaymentFileInvalid("the bank file does not pass the pain.001.001.03 schema; nothing was written: "
                                 + "; ".join(problems[:5]))
    return content


def _transaction(block: etree._Element, transfer: Transfer) -> None:
    item = _text(block, "CdtTrfTxInf")
    _text(_text(item, "PmtId"), "EndToEndId", transfer.reference[:35])
    _text(_text(item, "Amt"), "InstdAmt", _amount(transfer.amount, transfer.minor_units), Ccy=transfer.currency)
    bank = transfer.bank
    if bank.bic or bank.bank_code or bank.bank_name:
        agent = _text(_text(item, "CdtrAgt"), "FinInstnId")
        if bank.bic:
            _text(agent, "BIC", bank.bic)
        if bank.bank_code:
            _text(_text(agent, "ClrSysMmbId"), "MmbId", bank.bank_code[:35])
        if bank.bank_name:
            _text(agent, "Nm", bank.bank_name[:140])
    creditor = _text(item, "Cdtr")
    _text(creditor, "Nm", (bank.account_holder or transfer.participant)[:140])
    if transfer.country or transfer.address:
        address = _text(creditor, "PstlAdr")
        if transfer.country:
            _text(address, "Ctry", transfer.country)
        for line in [l.strip() for l in transfer.address.splitlines() if l.strip()][:2]:
            _text(address, "AdrLine", line[:70])
    account = _text(_text(item, "CdtrAcct"), "Id")
    if bank.iban:
        _text(account, "IBAN", bank.iban)
    else:
        _text(_text(account, "Othr"), "Id", bank.account_number[:34])
    _text(_text(item, "RmtInf"), "Ustrd", _remittance(transfer))


def _rows(plan: RunPlan) -> list[list[object]]:
    return [[t.reference, t.participant, t.bank.account_holder or t.participant, t.bank.account, t.bank.bic,
             t.bank.bank_code, t.bank.bank_name, t.country, t.currency, t.amount.quantize(Decimal(1).scaleb(-t.minor_units)),
             plan.execution_date, ", ".join(s.number for s in t.statements)] for t in plan.transfers]


def payment_list_csv(plan: RunPlan) -> bytes:
    """One transfer a line: UTF-8 with a byte-order mark, ISO dates, amounts with a point, no
    grouping; then a total line per currency (Reference 'TOTAL')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(h.lower().replace(" ", "_") for h in LIST_HEADERS)
    for row in _rows(plan):
        writer.writerow([value.isoformat() if hasattr(value, "isoformat") else value for value in row])
    for currency, total in plan.totals.items():
        places = next(t.minor_units for t in plan.transfers if t.currency == currency)
        writer.writerow(["TOTAL", "", "", "", "", "", "", "", currency, _amount(total, places), plan.execution_date.isoformat(), ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def payment_list_workbook(plan: RunPlan) -> bytes:
    """The transfers on one sheet (bold frozen header, filters) and 'Totals': per currency, a
    live SUMIF over the transfers and the number of them."""
    book = Workbook()
    rows = _rows(plan)
    sheet = excel.table_sheet(book, "Transfers", LIST_HEADERS, rows, first=True)
    for row, transfer in enumerate(plan.transfers, start=2):  # each amount to its currency's minor units
        sheet.cell(row=row, column=10).number_format = _number_format(transfer.minor_units)
    totals = book.create_sheet("Totals")
    for column, header in enumerate(("Currency", "Transfers", "Total"), start=1):
        excel.put(totals, 1, column, header)
        totals.cell(row=1, column=column).font = Font(bold=True)
    last = len(rows) + 1
    for row, currency in enumerate(plan.totals, start=2):
        excel.put(totals, row, 1, currency)
        totals.cell(row=row, column=2, value=f'=COUNTIF(Transfers!I2:I{last},A{row})')
        totals.cell(row=row, column=3, value=f'=SUMIF(Transfers!I2:I{last},A{row},Transfers!J2:J{last})')
        totals.cell(row=row, column=3).number_format = _number_format(
            next(t.minor_units for t in plan.transfers if t.currency == currency))
    totals.column_dimensions["C"].width = 18
    return excel.to_bytes(book)


def _number_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")
