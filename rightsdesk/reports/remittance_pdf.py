"""Remittance advice as a PDF: what was paid to a participant, for which statements and how, in
the royalty statement's letterhead and with its fonts (any script the catalogue holds)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Spacer

from rightsdesk.reports import pdf
from rightsdesk.reports.pdf import amount
from rightsdesk.reports.statement_pdf import MARGIN, PAGE, TOP, WIDTH, _letterhead
from rightsdesk.services.remittance import RemittanceAdvice


def remittance_pdf(advice: RemittanceAdvice) -> bytes:
    """The same bytes for the same advice (no generated date: the payment's own date is shown)."""
    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
                                 bottomMargin=MARGIN + 6, title=f"Remittance advice {advice.reference}",
                                 author=advice.letterhead.name, invariant=1)

    def money(value: Decimal) -> str:
        return amount(value, advice.minor_units)

    label = 36 * mm
    facts = [("Paid to", advice.participant)]
    if advice.participant_address:
        facts.append(("Address", advice.participant_address))
    facts += [("Date paid", str(advice.paid_on)), ("Method", advice.method)]
    if advice.account:
        facts.append(("To account", advice.account))
    if advice.account_holder and advice.account_holder != advice.participant:
        facts.append(("Account holder", advice.account_holder))
    facts += [("Reference", advice.reference), ("Amount", f"{money(advice.total)} {advice.currency}")]
    if advice.run:
        facts.append(("Payment run", advice.run))
    story: list[object] = [pdf.para("Remittance advice", pdf.style(15, bold=True, leading=19)), Spacer(1, 4),
                           pdf.Ledger.of([], [list(f) for f in facts], [label, WIDTH - label],
                                         bold_columns=frozenset({0}), rules=False),
                           Spacer(1, 8), pdf.heading("Statements paid")]
    column = 25 * mm
    header = ["Statement", "Deal", "Period", f"To pay ({advice.currency})", "Paid before", "Paid now", "Still owed"]
    rows = [[line.statement, line.deal, line.period, money(line.to_pay), money(line.paid_before), money(line.paid_now),
             money(line.owed_after)] for line in advice.lines]
    rows.append(["Total", "", "", "", "", money(advice.total), ""])
    widths = [32 * mm, WIDTH - 32 * mm - 18 * mm - 4 * column, 18 * mm] + [column] * 4
    story.append(pdf.Ledger.of(header, rows, widths, right=frozenset({3, 4, 5, 6}), bold_rows=frozenset({len(rows) - 1})))
    story += [Spacer(1, 10), pdf.para("Amounts are in the statements' currency. Each statement's figures are on the "
                                      "royalty statement of that number.", pdf.style(8))]

    head = advice.letterhead
    logo = Path(head.logo) if head.logo and Path(head.logo).is_file() else None
    footer = (f"{pdf.in_sentence(head.name)} · Remittance advice {advice.reference} · "
              f"{pdf.in_sentence(advice.participant)} · paid {advice.paid_on}")

    def page(canvas: Canvas, _document: object) -> None:
        _letterhead(canvas, head.name, head.address, logo)

    canvas_class = type("RemittanceCanvas", (pdf.NumberedCanvas,), {"footer_left": footer})
    template.build(story, onFirstPage=page, onLaterPages=page, canvasmaker=canvas_class)
    return buffer.getvalue()
