"""The files a statement is emailed with (issue 20): its PDF, and its workbook when the party asks
for one, named as `statements export` names them."""

from __future__ import annotations

from rightsdesk.domain.delivery import Attachment
from rightsdesk.reports.batch import file_name, safe_file_name
from rightsdesk.reports.statement_pdf import statement_pdf
from rightsdesk.reports.statement_workbook import statement_workbook
from rightsdesk.services.statement_documents import StatementDocument

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def attachments(document: StatementDocument, workbook: bool) -> list[Attachment]:
    """The statement's PDF (the same bytes as its export), then, if `workbook`, a workbook of this
    statement alone: its summary and detail sheets, nothing of other participants."""
    files = [Attachment(file_name(document), statement_pdf(document), "application", "pdf")]
    if workbook:
        name = safe_file_name(document.period, document.participant, document.number or f"DRAFT-{document.statement_id}",
                              suffix=".xlsx")
        files.append(Attachment(name, statement_workbook([document]), *XLSX))
    return files
