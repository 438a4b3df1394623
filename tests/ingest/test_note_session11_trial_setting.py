"""Session 11 (lead, after the set-15 hold-out score): an early-setting course named by its trial ("OlympiA-style
olaparib x 1 yr", "abemaciclib per monarchE") is adjuvant, so a relapse after it is judged against the adjuvant
relapse windows (no PARP inhibitor re-challenge preferred soon after adjuvant olaparib). A metastatic trial whose
name starts the same ("OlympiAD", "MONARCH 3") sets nothing."""

from __future__ import annotations

import pytest

from ._note_helpers import _read

H = "52F, ER+ HER2- gBRCA2, relapse 09/2026 in bone and liver. "


def _settings(text: str, drug: str) -> set:
    rec = _read(H + text)
    return {t.get("setting") for t in rec.get("prior_therapies") or [] if drug in t.get("drugs", [])}


@pytest.mark.parametrize(
    "said",
    [
        "Then OlympiA-style olaparib x 1 yr, ended 12/2025.",
        "Olaparib 1 year per OlympiA, ended 12/2025.",
        "Olaparib (OlympiA regimen) 01/2025-12/2025.",
    ],
)
def test_an_early_course_named_by_its_trial_is_adjuvant(said: str) -> None:
    assert _settings(said, "olaparib") == {"adjuvant"}


def test_abemaciclib_per_monarche_is_adjuvant() -> None:
    assert _settings("Abemaciclib per monarchE 2023-2025 with letrozole, completed.", "abemaciclib") == {"adjuvant"}


def test_a_metastatic_trial_name_sets_no_early_setting() -> None:
    """Guard: OlympiAD (olaparib for metastatic disease) is not OlympiA."""
    assert "adjuvant" not in _settings("Olaparib as in OlympiAD 03/2025-08/2026, progressed.", "olaparib")
