"""``mbc ask`` (the Python API the CLI and ``POST /v1/ask`` call) answers any question, for
either audience, or refuses it with an InputError: never another exception."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mbc.answer import answer_question, render_answer_text
from mbc.errors import InputError
from mbc.knowledge import KnowledgeBase, load_kb

from ._inputs import examples, question

KB: KnowledgeBase = load_kb()
AS_OF = dt.date(2026, 11, 20)


@settings(max_examples=examples(40), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(question(), st.sampled_from([None, "clinician", "patient"]), st.booleans())
def test_any_question_is_answered_or_refused(text: str, audience: str | None, with_plan: bool) -> None:
    try:
        result = answer_question(text, KB, as_of=AS_OF, audience=audience, include_plan=with_plan)  # type: ignore[arg-type]
    except InputError as exc:
        assert exc.problems
        return
    assert render_answer_text(result)
    json.dumps(result.to_json(), default=str)
