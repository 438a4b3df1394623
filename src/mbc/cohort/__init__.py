"""Cohort audit: guideline concordance of a whole registry (``mbc audit``), the synthetic
cohort generator (``mbc synth``) and the engines that run them (local processes, Spark).

The layer sits beside :mod:`mbc.trials` and :mod:`mbc.render`: it uses the engine and the
readers, and nothing above it.
"""

from __future__ import annotations

from mbc.cohort.audit import audit_patient
from mbc.cohort.tables import TABLES

__all__ = ["TABLES", "audit_patient"]
