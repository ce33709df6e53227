"""QA scorecards: a program's weighted forms. sections = [{"title", "questions": [{"id",
"text", "weight", "auto_fail"}]}]; question ids unique, weights whole numbers > 0 summing to
100. Saving a form under an existing name makes its next version (the older ones stay, for
the reviews scored on them, and go inactive)."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from quality.errors import QualityError
from quality.models import Scorecard

QUESTION_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")


def validate_sections(sections) -> list[dict]:
    """The form, checked and normalised; QualityError names the first bad part."""
    if not isinstance(sections, list) or not sections:
        raise QualityError("sections", "a non-empty list of sections")
    seen, total, clean = set(), 0, []
    for n, section in enumerate(sections):
        where = f"sections[{n}]"
        if not isinstance(section, dict) or not str(section.get("title") or "").strip():
            raise QualityError(f"{where}.title", "required")
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            raise QualityError(f"{where}.questions", "a non-empty list of questions")
        out = []
        for m, question in enumerate(questions):
            out.append(_question(question, f"{where}.questions[{m}]", seen))
            total += out[-1]["weight"]
        clean.append({"title": str(section["title"]).strip()[:80], "questions": out})
    if total != 100:
        raise QualityError("sections", f"question weights must sum to 100 (they sum to {total})")
    return clean


def _question(question, where: str, seen: set) -> dict:
    if not isinstance(question, dict):
        raise QualityError(where, "an object with id, text, weight and auto_fail")
    qid = question.get("id")
    if not isinstance(qid, str) or not QUESTION_ID.fullmatch(qid):
        raise QualityError(f"{where}.id", "lower-case letters, digits and _, up to 40")
    if qid in seen:
        raise QualityError(f"{where}.id", f"{qid!r} is used twice")
    seen.add(qid)
    text = str(question.get("text") or "").strip()
    if not text:
        raise QualityError(f"{where}.text", "required")
    weight = question.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 < weight <= 100:
        raise QualityError(f"{where}.weight", "a whole number from 1 to 100")
    auto_fail = question.get("auto_fail", False)
    if not isinstance(auto_fail, bool):
        raise QualityError(f"{where}.auto_fail", "true or false")
    return {"id": qid, "text": text[:300], "weight": weight, "auto_fail": auto_fail}


def save(*, session: Session, program_id: int, name: str, sections) -> Scorecard:
    """A new version of the program's form `name` (version 1 when new); it becomes active."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise QualityError("name", "1 to 80 characters")
    clean = validate_sections(sections)
    latest = session.scalar(select(func.max(Scorecard.version)).where(
        Scorecard.program_id == program_id, Scorecard.name == name))  # fmt: skip
    session.execute(update(Scorecard).where(Scorecard.program_id == program_id)
                    .values(is_active=False))  # fmt: skip
    card = Scorecard(program_id=program_id, name=name, version=(latest or 0) + 1,
                     sections=clean, is_active=True)  # fmt: skip
    session.add(card)
    session.flush()
    return card


def active(*, session: Session, program_id: int) -> Scorecard | None:
    return session.scalar(
        select(Scorecard).where(Scorecard.program_id == program_id, Scorecard.is_active)
        .order_by(Scorecard.id.desc()).limit(1)
    )  # fmt: skip


def questions(card: Scorecard) -> list[dict]:
    return [q for section in card.sections for q in section["questions"]]


def score(card: Scorecard, answers: dict) -> tuple[float, bool]:
    """(score 0–100, auto_failed) of complete answers {id: yes|no|na}: the weights answered yes
    over the weights not answered na (100 when all are na); 0 when an auto-fail item is no."""
    asked = questions(card)
    if any(q["auto_fail"] and answers[q["id"]] == "no" for q in asked):
        return 0.0, True
    possible = sum(q["weight"] for q in asked if answers[q["id"]] != "na")
    earned = sum(q["weight"] for q in asked if answers[q["id"]] == "yes")
    return (round(100.0 * earned / possible, 2) if possible else 100.0), False
