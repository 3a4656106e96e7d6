"""What every PDF worker needs, loaded once by the fork server the workers are forked from
(reports/batch.py): reportlab, the statement's layout, the fonts. Importing this registers the
fonts; nothing else imports it.

The cycle collector is off while it loads (some 360 000 objects: its collections while importing
were ~15 % of the server's start, which the first export of a program waits for), and what it
loaded is then frozen out of the collector's sight, so that a worker's collections do not walk
it again (nor touch, and so copy, the memory it shares with the server)."""

import gc

gc.disable()

from rightsdesk.reports import batch, pdf  # noqa: E402

__all__ = ["batch", "pdf"]  # batch: the workers' code, imported for them

pdf.fonts()
gc.freeze()
gc.enable()
