"""A screen's module loads what the screen shows with, not the document writers: openpyxl,
reportlab and xlsxwriter come when an export or a preview asks for them (a window starting on
a screen waited ~0.7 s for them)."""

import os
import subprocess
import sys
from pathlib import Path

import rightsdesk.ui

SCREENS = sorted(f"rightsdesk.ui.{page.parent.name}.page" for page in Path(rightsdesk.ui.__file__).parent.glob("*/page.py")
                 if page.parent.name != "reports")  # the Reports screen is where documents are made


def test_no_screen_but_reports_loads_the_document_writers_with_its_module():
    assert len(SCREENS) > 10
    code = ("import importlib, sys\n"
            f"for name in {SCREENS!r}: importlib.import_module(name)\n"
            "print(sorted(m for m in ('openpyxl', 'reportlab', 'xlsxwriter') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout.strip()
    assert loaded == "[]"
