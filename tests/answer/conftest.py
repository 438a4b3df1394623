from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="session")
def kb() -> Any:
    from mbc.knowledge import load_kb

    return load_kb()


@pytest.fixture(scope="session")
def ask(kb: Any) -> Any:
    from mbc.answer import answer_question

    def run(question: str, audience: str | None = None) -> Any:
        return answer_question(question, kb, as_of=AS_OF, audience=audience)  # type: ignore[arg-type]

    return run


@pytest.fixture
def fk_grade(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Flesch-Kincaid grade by textstat with its Pyphen syllable counter (no NLTK download)."""
    import textstat
    import textstat.backend.counts._count_syllables as syllables

    monkeypatch.setattr(syllables, "get_cmudict", lambda _lang: None)
    return lambda text: float(textstat.flesch_kincaid_grade(text))
