"""Patient model (contract v1 input) and plan model (contract v1 output)."""

from __future__ import annotations

from mbc.model.record import CONTRACT_VERSION, PatientRecord, Therapy, parse_record

__all__ = ["CONTRACT_VERSION", "PatientRecord", "Therapy", "parse_record"]
