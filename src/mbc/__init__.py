"""mbc - clinical decision support for metastatic breast cancer.

The public API is small: :func:`plan` turns a patient record into a :class:`Plan`,
:func:`load_kb` loads the knowledge base, :func:`parse_record` validates a record.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
