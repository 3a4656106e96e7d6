"""What every PDF worker needs, loaded once by the fork server the workers are forked from
(reports/batch.py): reportlab, the statement's layout, the fonts. Importing this registers the
fonts; nothing else imports it."""

from rightsdesk.reports import batch, pdf

__all__ = ["batch", "pdf"]  # batch: the workers' code, imported for them

pdf.fonts()
