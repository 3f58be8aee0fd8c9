"""``python -m citekit``: the same as the ``citekit`` command."""

import sys

from citekit.cli import main

sys.exit(main())
