"""The grading and proficiency rules, as pure functions (no database, no clock).

Grading: a question is right when the set of chosen keys equals the set of correct keys
(all-or-nothing for multiple choice; an unanswered question is wrong). An attempt passes when
correct * 100 >= pass_mark * served, i.e. its score in percent reaches the pass mark.

Proficiency (1-5) of a certification comes from its score: the mean, over the course's modules,
of the score of the attempt that passed each module.
    score >= 95 → 5,  >= 88 → 4,  >= 80 → 3,  >= 70 → 2,  otherwise → 1.
A program's proficiency is the lowest proficiency among its required courses.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PROFICIENCY_FLOORS = ((95.0, 5), (88.0, 4), (80.0, 3), (70.0, 2))


@dataclass(frozen=True)
class QuestionKey:
    """What grading needs of a question: its id, its kind and its correct choice keys."""

    id: int
    kind: str
    choice_keys: frozenset[str]
    correct: frozenset[str]


@dataclass(frozen=True)
class Grade:
    correct_ids: frozenset[int]
    correct_count: int
    question_count: int
    passed: bool

    @property
    def score(self) -> float:
        return round(100 * self.correct_count / self.question_count, 1)


def is_right(question: QuestionKey, chosen: frozenset[str]) -> bool:
    return chosen == question.correct


def grade(
    questions: Sequence[QuestionKey], answers: Mapping[int, frozenset[str]], *, pass_mark: int
) -> Grade:
    """Grade `answers` (question id → chosen keys) against the served `questions`."""
    right = frozenset(q.id for q in questions if is_right(q, answers.get(q.id, frozenset())))
    served = len(questions)
    return Grade(
        correct_ids=right,
        correct_count=len(right),
        question_count=served,
        passed=len(right) * 100 >= pass_mark * served,
    )


def proficiency(score: float) -> int:
    """1-5 from a certification score in percent (see the module docstring)."""
    for floor, level in PROFICIENCY_FLOORS:
        if score >= floor:
            return level
    return 1


def certification_score(module_scores: Sequence[float]) -> float:
    """Mean of the passing scores of every module, one decimal."""
    return round(sum(module_scores) / len(module_scores), 1)


def build_paper(
    questions: Sequence[tuple[int, Sequence[str]]],
    *,
    sample: int | None,
    shuffle: bool,
    rng: random.Random,
) -> list[dict]:
    """The questions served in one attempt, in display order, each with its choice order.

    `questions` are (id, choice keys) in file order. A sample draws that many at random;
    shuffle randomises the order of questions and of each question's choices.
    """
    chosen = list(questions)
    if sample is not None and sample < len(chosen):
        picked = set(rng.sample(range(len(chosen)), sample))
        chosen = [q for i, q in enumerate(chosen) if i in picked]
    if shuffle:
        rng.shuffle(chosen)
    paper = []
    for question_id, keys in chosen:
        order = list(keys)
        if shuffle:
            rng.shuffle(order)
        paper.append({"question_id": question_id, "choices": order})
    return paper
