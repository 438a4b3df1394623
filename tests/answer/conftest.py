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


def preferred_of(a: Any, kb: Any = None) -> list[set[str]]:
    """The drug sets of the preferred options of an answer (an :class:`Answer` or its JSON); with ``kb``,
    as drug ids."""
    plan = a["plan"] if isinstance(a, dict) else a.plan
    out = [set(o["drugs"]) for o in (plan or {}).get("options", []) if o["category"] == "preferred"]
    return [{kb.lookup_drug(d) or d for d in s} for s in out] if kb is not None else out


@pytest.fixture
def ask_json(kb: Any) -> Any:
    """Ask a question; the answer's JSON (``audience`` None: read from the question). Function-scoped, so that
    a module's own ``kb`` fixture is the one used."""
    from mbc.answer import answer_question

    def run(question: str, audience: str | None = None) -> dict[str, Any]:
        return answer_question(question, kb, as_of=AS_OF, audience=audience).to_json()  # type: ignore[arg-type]

    return run


@pytest.fixture
def preferred(kb: Any) -> Any:
    """The preferred options' drug-id sets of an answer (an :class:`Answer` or its JSON)."""
    return lambda a: preferred_of(a, kb)


@pytest.fixture
def preferred_names() -> Any:
    """The preferred options' drug sets of an answer, as the plan names the drugs."""
    return lambda a: preferred_of(a)
