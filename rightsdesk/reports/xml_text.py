"""Text for the XML inside the documents the product writes (a workbook's cells, the text of a
PDF): without the characters XML 1.0 cannot hold. Apart from `excel` so that what draws PDFs
does not load openpyxl for it (a PDF worker's start)."""

from __future__ import annotations

import re

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (openpyxl would refuse the whole
    workbook for one of them); the rest as it is."""
    return _ILLEGAL.sub("", text)
