"""Question answering: ``mbc ask``, ``POST /v1/ask`` and the web Ask box.

:func:`answer_question` reads a free-text question (general, about a patient, or in a
patient's own words), works out what it asks (intent, drugs, audience), reads the patient
facts in it with the note reader (:func:`mbc.ingest.extract`, whose inferences in
``knowledge/nlp/inferences.yaml`` come with their assumptions), makes the plan with the
engine, and answers the question first: a verdict for yes/no questions, a dose with this
patient's adjustments, a cited overview when no patient is described. Knowledge lives
in ``knowledge/answer/*.yaml``.

.. versionadded:: 0.2
"""

from __future__ import annotations

from mbc.answer._api import answer_question
from mbc.answer._model import VERDICT_WORDS, Answer, AnswerBody, AnswerCitation
from mbc.answer._render import render_answer_text
from mbc.answer._schema import AnswerKB, load_answer_kb

__all__ = [
    "VERDICT_WORDS",
    "Answer",
    "AnswerBody",
    "AnswerCitation",
    "AnswerKB",
    "answer_question",
    "load_answer_kb",
    "render_answer_text",
]
