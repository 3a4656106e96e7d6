"""The bundle's entry point: the same as the `rightsdesk` command."""

import sys

from rightsdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
