import sys

from rightsdesk.cli import main

sys.exit(main())
