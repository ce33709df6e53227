"""Grading and proficiency rules (pure functions, no database)."""

from __future__ import annotations

import random

import pytest

from training.grading import (
    QuestionKey,
    build_paper,
    certification_score,
    grade,
    proficiency,
)

SINGLE = QuestionKey(1, "single", frozenset("abc"), frozenset("b"))
MULTI = QuestionKey(2, "multiple", frozenset("abcd"), frozenset("ac"))


def test_single_choice_is_right_only_with_the_one_correct_key():
    assert grade([SINGLE], {1: frozenset("b")}, pass_mark=100).correct_count == 1
    assert grade([SINGLE], {1: frozenset("a")}, pass_mark=100).correct_count == 0


def test_multiple_choice_is_all_or_nothing():
    assert grade([MULTI], {2: frozenset("ac")}, pass_mark=100).passed
    assert not grade([MULTI], {2: frozenset("a")}, pass_mark=100).passed
    assert not grade([MULTI], {2: frozenset("acd")}, pass_mark=100).passed


def test_an_unanswered_question_is_wrong():
    result = grade([SINGLE, MULTI], {1: frozenset("b")}, pass_mark=50)
    assert (result.correct_count, result.question_count, result.score) == (1, 2, 50.0)
    assert result.correct_ids == {1}


def test_pass_mark_is_reached_exactly_without_rounding_errors():
    questions = [QuestionKey(i, "single", frozenset("ab"), frozenset("a")) for i in range(3)]
    two_of_three = {0: frozenset("a"), 1: frozenset("a")}
    assert grade(questions, two_of_three, pass_mark=66).passed
    assert not grade(questions, two_of_three, pass_mark=67).passed


@pytest.mark.parametrize(
    ("score", "level"),
    [(100, 5), (95, 5), (94.9, 4), (88, 4), (87.9, 3), (80, 3), (79.9, 2), (70, 2), (69.9, 1),
     (0, 1)],
)  # fmt: skip
def test_proficiency_follows_the_documented_score_floors(score, level):
    assert proficiency(score) == level


def test_certification_score_is_the_mean_of_module_scores():
    assert certification_score([100.0, 80.0, 90.0]) == 90.0


def test_a_sampled_pool_serves_that_many_distinct_questions():
    pool = [(i, ["a", "b", "c"]) for i in range(10)]
    paper = build_paper(pool, sample=4, shuffle=False, rng=random.Random(1))
    ids = [item["question_id"] for item in paper]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert ids == sorted(ids)  # without shuffle, file order is kept
    assert all(item["choices"] == ["a", "b", "c"] for item in paper)


def test_shuffle_reorders_questions_and_choices_but_keeps_them_all():
    pool = [(i, ["a", "b", "c", "d"]) for i in range(12)]
    paper = build_paper(pool, sample=None, shuffle=True, rng=random.Random(3))
    assert sorted(item["question_id"] for item in paper) == list(range(12))
    assert [item["question_id"] for item in paper] != list(range(12))
    assert any(item["choices"] != ["a", "b", "c", "d"] for item in paper)
    assert all(sorted(item["choices"]) == ["a", "b", "c", "d"] for item in paper)
