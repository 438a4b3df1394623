"""Moved to :mod:`mbc.service.replay` (issue 13: the service layer below the frameworks); this name
stays as an alias of that module so existing imports keep working."""

from __future__ import annotations

import sys

import mbc.service.replay as _moved

sys.modules[__name__] = _moved
