"""mbc - clinical decision support for metastatic breast cancer.

The public API is small: :func:`plan` turns a patient record into a :class:`Plan`,
:func:`load_kb` loads the knowledge base, :func:`parse_record` validates a record.
Names load lazily so that ``import mbc`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.12.0"
__all__ = ["PatientRecord", "Plan", "__version__", "load_kb", "parse_record", "plan"]

_LAZY = {
    "PatientRecord": "mbc.model.record",
    "Plan": "mbc.model.plan",
    "load_kb": "mbc.knowledge.loader",
    "parse_record": "mbc.model.record",
    "plan": "mbc.engine.pipeline",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mbc' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
