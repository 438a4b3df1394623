"""``python -m mbc`` runs the CLI."""

from __future__ import annotations

import sys

from mbc.cli import main

sys.exit(main())
