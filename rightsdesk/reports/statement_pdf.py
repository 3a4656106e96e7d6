"""A royalty statement as a PDF a finance department would sign: letterhead, the waterfall, the
balances carried, detail by title, media and territory, the FX rates used, page N of M, and a
DRAFT mark until the statement is issued."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from collections.abc import Callable
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.flowables import KeepTogether

from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.reports import pdf
from rightsdesk.reports.pdf import amount
from rightsdesk.services.statement_documents import DetailLine, StatementDocument

PAGE = A4
MARGIN = 16 * mm
TOP = 34 * mm  # room for the letterhead drawn on every page
WIDTH = PAGE[0] - 2 * MARGIN  # of the frame
ROOM = WIDTH - 12  # what the frame leaves a line of text: its width less its paddings
STEPS = {"Net receipts", "Payable", "Paid", "To pay now"}
DETAIL_KINDS = {StatementLineKind.GROSS_RECEIPTS}  # receipts get their own detail tables
# Steps whose line says no more than the summary does.
SELF_EVIDENT = {StatementLineKind.NET_RECEIPTS, StatementLineKind.PAYABLE, StatementLineKind.PAID, StatementLineKind.TO_PAY}


@cache
def _styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    """The title's and small print's (made once fonts are registered)."""
    return pdf.style(15, bold=True, leading=19), pdf.style(8)


def statement_pdf(document: StatementDocument, *, generated: date | None = None) -> bytes:
    buffer = io.BytesIO()
    template = pdf.DocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
                               bottomMargin=MARGIN + 6, title=f"Royalty statement {document.number or 'DRAFT'}",
                               author=document.letterhead.name, invariant=1)
    currency = document.currency

    def money(value: Decimal) -> str:
        return amount(value, document.minor_units)  # plain text, right-aligned by the table

    title, small = _styles()
    story: list[object] = [pdf.para("Royalty statement", title, room=ROOM), Spacer(1, 4)]
    facts = [
        ("Participant", document.participant), ("Deal", document.deal_reference),
        ("Period", f"{document.period} ({document.period_start} to {document.period_end})"),
        ("Currency", currency), ("Statement no.", document.number or "DRAFT — not issued"),
        ("Issue date", str(document.issued_on) if document.issued_on else "—"),
    ]
    if document.participant_address:
        facts.insert(1, ("Address", document.participant_address))
    if document.participant_tax_residence:
        facts.insert(2, ("Tax residence", document.participant_tax_residence))
    story.append(pdf.Ledger.of([], [list(fact) for fact in facts], [34 * mm, WIDTH - 34 * mm],
                               bold_columns=frozenset({0}), rules=False))
    story += [Spacer(1, 8), pdf.heading("Summary", room=ROOM)]
    amount_header = f"Amount ({currency})"
    summary = [[name, money(value)] for name, value in document.summary]  # our own words
    bold = frozenset(n for n, (name, _) in enumerate(document.summary) if name in STEPS)
    story.append(KeepTogether(pdf.Ledger.of(["Step", amount_header], summary, [WIDTH - 45 * mm, 45 * mm],
                                            right=frozenset({1}), bold_rows=bold)))
    # Each step as the waterfall worked it out: fee rates, the tier split, MG payments, reserves.
    steps = [line for line in document.lines if line.kind not in DETAIL_KINDS | SELF_EVIDENT]
    if steps:
        story += [Spacer(1, 8), pdf.heading("How it was worked out", keep_with_next=False, room=ROOM)]
        texts = [[line.description + (f" ({line.title})" if line.title else ""), money(line.amount)] for line in steps]
        story.append(pdf.Ledger.of(["Step", amount_header], texts, [WIDTH - 45 * mm, 45 * mm], right=frozenset({1})))
    if document.balances:
        # a balance per title when titles stand alone: long enough to run over a page
        story += [Spacer(1, 8), pdf.heading("Balances carried", keep_with_next=False, room=ROOM)]
        rows = [[name, money(opening), money(closing)] for name, opening, closing in document.balances]
        story.append(pdf.Ledger.of(["Balance", "Opening", "Closing"], rows, [WIDTH - 70 * mm, 35 * mm, 35 * mm],
                                   right=frozenset({1, 2})))
    receipts = [line for line in document.lines if line.kind in DETAIL_KINDS]
    for heading, detail in (("Detail by title, media and territory", [l for l in receipts if not l.late]),
                            ("Revenue of earlier periods", [l for l in receipts if l.late])):
        if detail:
            story += [Spacer(1, 8), pdf.heading(heading, keep_with_next=False, room=ROOM)]
            story.append(_detail(detail, currency, money))
    if document.fx:
        story += [Spacer(1, 8), pdf.heading("Exchange rates used", room=ROOM),
                  pdf.para(document.fx_rule, small, room=ROOM), Spacer(1, 3)]
        rows = [[f.source_currency, currency, f"{f.rate.normalize():f}", str(f.rate_date)] for f in document.fx]
        story.append(KeepTogether(pdf.Ledger.of(["From", "To", "Rate", "Rate of"], rows,
                                                [25 * mm, 25 * mm, 40 * mm, WIDTH - 90 * mm])))
    if document.notes:
        story += [Spacer(1, 8), pdf.heading("Notes", room=ROOM), pdf.para(document.notes, room=ROOM)]

    letterhead = document.letterhead
    logo = Path(letterhead.logo) if letterhead.logo and Path(letterhead.logo).is_file() else None
    # An issued statement's PDF is the same bytes whenever it is exported again: no "generated" day.
    when = f"issued {document.issued_on}" if document.issued_on and not document.is_draft else \
        f"generated {generated or date.today()}"
    footer = (f"{pdf.in_sentence(letterhead.name)} · Royalty statement {document.number or 'DRAFT'} · "
              f"{pdf.in_sentence(document.participant)} · "
              f"{document.period} · {when}")

    drawn: list[list[str]] = []  # the letterhead's operators before and after the logo, as the first page drew them

    def page(canvas: Canvas, _document: object) -> None:
        # Every page's letterhead is the first's: the same operators (fonts are named alike
        # throughout a document; the state is saved and restored round them), worked out once.
        # The logo is drawn on each: an image is named in the resources of each page it is on.
        if not drawn:
            drawn.extend(_letterhead(canvas, letterhead.name, letterhead.address, logo))
            return
        canvas._code.extend(drawn[0])
        if logo is not None:
            _logo(canvas, logo)
        canvas._code.extend(drawn[1])

    canvas_class = type("StatementCanvas", (pdf.NumberedCanvas,),
                        {"footer_left": footer, "watermark": "DRAFT" if document.is_draft else ""})
    template.build(story, onFirstPage=page, onLaterPages=page, canvasmaker=canvas_class)
    return buffer.getvalue()


def _detail(detail: list[DetailLine], currency: str, money: Callable[[Decimal], str]) -> Flowable:
    """Receipts by title, media and territory, with what a converted line said and its rate."""
    widths = [56 * mm, 63 * mm, 17 * mm, 17 * mm, 25 * mm]
    header = ["Title", "Description", "Media", "Territory", f"Amount ({currency})"]
    texts = [[line.title, line.description + (f" · {line.conversion}" if line.conversion else ""), line.media,
              line.territory, money(line.amount)] for line in detail]
    texts.append(["Total", "", "", "", money(sum((line.amount for line in detail), Decimal(0)))])
    return pdf.Ledger.of(header, texts, widths, right=frozenset({4}), bold_rows=frozenset({len(texts) - 1}))


def _letterhead(canvas: Canvas, name: str, address: str, logo: Path | None) -> list[list[str]]:
    """The company's name, address and logo over a rule; returns the operators drawn before
    the logo and those after it."""
    width, height = PAGE
    start = len(canvas._code)
    canvas.saveState()
    top = height - 12 * mm
    canvas.setFillColor(colors.HexColor("#1F3A5F"))
    pdf.draw_string(canvas, MARGIN, top - 4, name, 13, bold=True)  # the company's own name: any script
    canvas.setFillColor(colors.HexColor("#444444"))
    for number, line in enumerate(address.splitlines()[:3]):
        pdf.draw_string(canvas, MARGIN, top - 16 - number * 10, line, 8)
    before = canvas._code[start:]
    if logo is not None:
        _logo(canvas, logo)
    start = len(canvas._code)
    canvas.setStrokeColor(colors.HexColor("#1F3A5F"))
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, height - TOP + 8 * mm, width - MARGIN, height - TOP + 8 * mm)
    canvas.restoreState()
    return [before, canvas._code[start:]]


def _logo(canvas: Canvas, logo: Path) -> None:
    width, height = PAGE
    canvas.drawImage(str(logo), width - MARGIN - 30 * mm, height - 12 * mm - 16 * mm, 30 * mm, 16 * mm,
                     preserveAspectRatio=True, anchor="ne", mask="auto")
