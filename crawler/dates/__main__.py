"""``python -m crawler.dates``: see :mod:`crawler.dates.cli`."""

import sys

from crawler.dates.cli import main

sys.exit(main())
