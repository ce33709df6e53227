"""A submitted attempt's answers, checked against its paper (each bad one refused with the
field that names it), and its grade recorded (training/grading.py decides it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from training import grading
from training.errors import InvalidValue
from training.models import Answer, Attempt, Question


def checked_answers(attempt: Attempt, questions: dict[int, Question], answers: Mapping):
    if not isinstance(answers, Mapping):
        raise InvalidValue("answers must map question ids to lists of choice keys", field="answers")
    chosen: dict[int, frozenset[str]] = {}
    for raw_id, raw_keys in answers.items():
        field = f"answers.{raw_id}"
        text = str(raw_id)
        # ASCII digits only: "²" or "٣" are digits to Python but not question ids.
        question_id = int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None
        if question_id not in questions:
            raise InvalidValue(
                f"question {raw_id} is not part of attempt {attempt.id}", field=field
            )
        keys = [raw_keys] if isinstance(raw_keys, str) else raw_keys
        if not isinstance(keys, list | tuple) or not all(isinstance(k, str) for k in keys):
            raise InvalidValue("give a list of choice keys", field=field)
        question = questions[question_id]
        valid = {c["key"] for c in question.choices}
        unknown = sorted(set(keys) - valid)
        if unknown:
            raise InvalidValue(f"no choice '{unknown[0]}' in question {raw_id}", field=field)
        if len(set(keys)) != len(keys) or (question.kind == "single" and len(keys) > 1):
            raise InvalidValue("choose each key once (one key for single choice)", field=field)
        chosen[question_id] = frozenset(keys)
    return chosen


def record_grade(session, attempt: Attempt, questions, chosen, now: datetime) -> None:
    keys = [
        grading.QuestionKey(
            id=q.id,
            kind=q.kind,
            choice_keys=frozenset(c["key"] for c in q.choices),
            correct=frozenset(q.correct),
        )
        for q in (questions[p["question_id"]] for p in attempt.paper)
    ]
    result = grading.grade(keys, chosen, pass_mark=attempt.module.pass_mark)
    attempt.submitted_at = now
    attempt.correct_count = result.correct_count
    attempt.passed = result.passed
    for key in keys:
        session.add(
            Answer(
                attempt_id=attempt.id,
                question_id=key.id,
                chosen=sorted(chosen.get(key.id, frozenset())),
                is_correct=key.id in result.correct_ids,
            )
        )
    session.flush()
    session.refresh(attempt, ["answers"])
