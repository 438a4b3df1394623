"""Unit conversion for measurements read from notes (pint, with a molar-mass bridge).

pint knows dimensions (lb -> kg, ft -> cm, g/L -> g/dL); a molar concentration (mmol/L) is
turned into a mass concentration with the substance's molar mass, which the rule pack gives
(knowledge/nlp/targets.yaml). Without pint a small table of the same factors is used.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["convert"]

# Fallback factors (to the unit on the right) when pint is not installed.
_FACTORS = {
    ("lb", "kg"): 0.45359237,
    ("kg", "kg"): 1.0,
    ("ft", "cm"): 30.48,
    ("inch", "cm"): 2.54,
    ("m", "cm"): 100.0,
    ("cm", "cm"): 1.0,
    ("g/L", "g/dL"): 0.1,
    ("g/dL", "g/dL"): 1.0,
    ("mg/dL", "mg/dL"): 1.0,
    ("mg/L", "mg/dL"): 0.1,
}


@functools.cache
def _registry() -> Any:
    try:
        import pint
    except ImportError:  # pragma: no cover - pint is in the nlp extra
        return None
    return pint.UnitRegistry()


def convert(value: float, unit: str, to: str, molar_mass: Any = None) -> float:
    """``value`` in ``unit`` expressed in ``to`` (mmol/L -> mg/dL needs ``molar_mass`` g/mol)."""
    ureg = _registry()
    if ureg is None:
        if molar_mass is not None and unit == "mmol/L":
            return value * float(molar_mass) / 10.0  # mmol/L * g/mol = mg/L; /10 -> mg/dL
        return value * _FACTORS[(unit, to)]
    q = ureg.Quantity(value, unit)
    if molar_mass is not None and q.check("[substance] / [length] ** 3"):
        q = q * ureg.Quantity(float(molar_mass), "g/mol")
    return float(q.to(to).magnitude)
