"""The bundle's entry point: the same as the `rightsdesk` command."""

import multiprocessing
import sys

from rightsdesk.cli import main

if __name__ == "__main__":
    # A frozen program is its own Python: the PDF workers' fork server (reports/batch.py) starts
    # this executable again, and freeze_support makes that start run the server, not the app.
    multiprocessing.freeze_support()
    sys.exit(main())
