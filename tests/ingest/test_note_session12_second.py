"""Session 12 (notes: second pass). A supraclavicular node named with the axillary basin (or called
ipsilateral) is a regional node, not a distant one; a distant station or the other side keeps it
distant. Notes written for these tests, not copied."""

from __future__ import annotations

import pytest

from ._note_helpers import _read


def _sites(rec: dict) -> set[str]:
    return set((rec.get("metastases") or {}).get("sites") or [])


@pytest.mark.parametrize(
    "said",
    [
        "Stage IV at diagnosis 03/2025: L breast 5 cm, L axillary and L supraclavicular adenopathy; bone mets (T8, L2).",
        "De novo MBC 2025 - left breast primary with ipsilateral supraclavicular node; hepatic metastases.",
        "Metastatic HER2+ disease 2024: right breast mass, bulky right axillary, infraclavicular + supraclavicular "
        "nodes; lung metastases.",
    ],
)
def test_supraclavicular_with_the_axillary_basin_is_regional(said: str) -> None:
    sites = _sites(_read(said))
    assert "distant_lymph_nodes" not in sites
    assert sites & {"bone", "liver", "lung"}  # the distant sites are still read


@pytest.mark.parametrize(
    "said",
    [
        "Metastatic recurrence 06/2025: bone, mediastinal and supraclavicular nodes.",
        "MBC since 2024 (bone; contralateral axillary and supraclavicular nodes).",
        "Metastatic relapse 2023 with retroperitoneal + R supraclavicular nodes and liver lesions.",
    ],
)
def test_a_distant_station_or_the_other_side_keeps_nodes_distant(said: str) -> None:
    assert "distant_lymph_nodes" in _sites(_read(said))
