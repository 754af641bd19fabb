"""``python -m skaudio``: the ``skaudio`` command (see :mod:`skaudio.cli`)."""

import sys

from skaudio.cli import main

if __name__ == "__main__":
    sys.exit(main())
