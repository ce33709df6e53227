"""The course file format (YAML + Markdown, see docs/course-format.md): parse, check, normalise.

`parse_course(text, file=..., base_dir=...)` returns the canonical definition (a plain dict with
every default filled in and lessons inline) or raises CourseFileError listing every problem with
its file, line, place and field. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml

from training.course_checks import Checker, line_index
from training.errors import CourseFileError, Problem
from training.yaml_loader import StrictLoader

FORMAT_VERSION = 1
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_LESSON_CHARS = 200_000

COURSE_FIELDS = {
    "format", "program", "code", "title", "description", "validity_days", "reminder_days",
    "reveal_answers", "required", "modules",
}  # fmt: skip
MODULE_FIELDS = {"key", "title", "lesson", "lesson_file", "quiz"}
QUIZ_FIELDS = {
    "pass_mark", "attempt_limit", "cooldown_minutes", "time_limit_minutes", "shuffle", "sample",
    "questions",
}  # fmt: skip
QUESTION_FIELDS = {"key", "type", "prompt", "explanation", "choices"}
CHOICE_FIELDS = {"key", "text", "correct"}


def parse_course(text: str, *, file: str, base_dir: Path | None = None) -> dict:
    """The canonical definition of the course in `text`. `base_dir` resolves `lesson_file`
    (None for uploads, where lessons must be inline)."""
    try:
        root = yaml.compose(text, Loader=StrictLoader)
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        raise CourseFileError(
            [Problem(file, line, "", "yaml", f"not valid YAML: {reason}")]
        ) from None
    check = Checker(file, line_index(root) if root is not None else {})
    course = check.mapping(data, (), COURSE_FIELDS)
    if course is None:
        raise CourseFileError(check.problems)
    definition = _course(check, course, base_dir)
    if check.problems:
        raise CourseFileError(check.problems)
    return definition


def _course(check: Checker, node: dict, base_dir: Path | None) -> dict:
    fmt = node.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        check.fail((), "format", f"this Crowdline reads format {FORMAT_VERSION}, got {fmt!r}")
    rule = "2-40 lower-case letters, digits and dashes"
    definition = {
        "format": FORMAT_VERSION,
        "program": check.pattern(node, (), "program", CODE_RE, rule),
        "code": check.pattern(node, (), "code", CODE_RE, rule),
        "title": check.text(node, (), "title"),
        "description": check.text(node, (), "description", required=False, max_length=5000),
        "validity_days": check.integer(node, (), "validity_days", default=365, low=1, high=3650),
        "reminder_days": check.integer(node, (), "reminder_days", default=30, low=0, high=365),
        "reveal_answers": check.boolean(node, (), "reveal_answers", default=False),
        "required": check.boolean(node, (), "required", default=True),
    }
    if definition["reminder_days"] >= definition["validity_days"]:
        check.fail((), "reminder_days", "must be fewer days than validity_days")
    modules = check.sequence(node, (), "modules", minimum=1, maximum=50)
    definition["modules"] = [
        _module(check, item, ("modules", i), base_dir) for i, item in enumerate(modules)
    ]
    _unique(check, definition["modules"], ("modules",), "module")
    return definition


def _module(check: Checker, item, path: tuple, base_dir: Path | None) -> dict:
    node = check.mapping(item, path, MODULE_FIELDS)
    if node is None:
        return {}
    quiz_path = (*path, "quiz")
    quiz = check.mapping(node.get("quiz"), quiz_path, QUIZ_FIELDS) or {}
    questions = check.sequence(quiz, quiz_path, "questions", minimum=1, maximum=200) if quiz else []
    module = {
        "key": check.pattern(node, path, "key", KEY_RE, "1-60 lower-case letters, digits, - or _"),
        "title": check.text(node, path, "title"),
        "lesson": _lesson(check, node, path, base_dir),
        "quiz": {
            "pass_mark": check.integer(quiz, quiz_path, "pass_mark", default=80, low=1, high=100),
            "attempt_limit": check.integer(
                quiz, quiz_path, "attempt_limit", default=3, low=1, high=100, nullable=True
            ),
            "cooldown_minutes": check.integer(
                quiz, quiz_path, "cooldown_minutes", default=0, low=0, high=10080
            ),
            "time_limit_minutes": check.integer(
                quiz, quiz_path, "time_limit_minutes", default=60, low=1, high=1440
            ),
            "shuffle": check.boolean(quiz, quiz_path, "shuffle", default=False),
            "sample": check.integer(
                quiz, quiz_path, "sample", default=None, low=1, high=200, nullable=True
            ),
            "questions": [
                _question(check, q, (*quiz_path, "questions", i)) for i, q in enumerate(questions)
            ],
        },
    }
    sample = module["quiz"]["sample"]
    if isinstance(sample, int) and questions and sample > len(questions):
        check.fail(quiz_path, "sample", f"cannot serve {sample} of {len(questions)} questions")
    _unique(check, module["quiz"]["questions"], (*quiz_path, "questions"), "question")
    return module


def _lesson(check: Checker, node: dict, path: tuple, base_dir: Path | None) -> str:
    inline, file_name = node.get("lesson"), node.get("lesson_file")
    if (inline is None) == (file_name is None):
        check.fail(path, "lesson", "give exactly one of lesson (Markdown) or lesson_file (a path)")
        return ""
    if inline is not None:
        return check.text(node, path, "lesson", max_length=MAX_LESSON_CHARS)
    if base_dir is None:
        check.fail(path, "lesson_file", "an uploaded course must carry its lessons inline")
        return ""
    relative = check.text(node, path, "lesson_file", max_length=300)
    target = (base_dir / relative).resolve()
    if not target.is_relative_to(base_dir.resolve()):
        check.fail(path, "lesson_file", f"'{relative}' points outside the course folder")
        return ""
    try:
        lesson = target.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = "is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else "cannot be read"
        check.fail(path, "lesson_file", f"'{relative}' {reason}")
        return ""
    if not lesson or len(lesson) > MAX_LESSON_CHARS:
        check.fail(
            path, "lesson_file", f"'{relative}' must hold 1 to {MAX_LESSON_CHARS} characters"
        )
    return lesson


def _question(check: Checker, item, path: tuple) -> dict:
    node = check.mapping(item, path, QUESTION_FIELDS)
    if node is None:
        return {}
    kind = node.get("type", "single")
    if kind not in ("single", "multiple"):
        check.fail(path, "type", f"must be single or multiple, got {kind!r}")
    raw_choices = check.sequence(node, path, "choices", minimum=2, maximum=10)
    choices = []
    for i, raw in enumerate(raw_choices):
        where = (*path, "choices", i)
        choice = check.mapping(raw, where, CHOICE_FIELDS)
        if choice is None:
            continue
        key = choice.get("key", "abcdefghij"[i] if i < 10 else str(i))
        if not isinstance(key, str) or not KEY_RE.match(key):
            check.fail(where, "key", "1-60 lower-case letters, digits, - or _")
        choices.append(
            {
                "key": str(key),
                "text": check.text(choice, where, "text", max_length=1000),
                "correct": check.boolean(choice, where, "correct", default=False),
            }
        )
    _unique(check, choices, (*path, "choices"), "choice")
    correct = sum(1 for c in choices if c["correct"])
    if raw_choices and kind == "single" and correct != 1:
        check.fail(
            path,
            "choices",
            f"a single-choice question needs exactly one correct choice, has {correct}",
        )
    if raw_choices and kind == "multiple" and correct < 1:
        check.fail(path, "choices", "a multiple-choice question needs at least one correct choice")
    return {
        "key": check.pattern(node, path, "key", KEY_RE, "1-60 lower-case letters, digits, - or _"),
        "type": kind,
        "prompt": check.text(node, path, "prompt", max_length=2000),
        "explanation": check.text(node, path, "explanation", required=False, max_length=2000),
        "choices": choices,
    }


def _unique(check: Checker, items: list[dict], path: tuple, what: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        key = item.get("key")
        if key and key in seen:
            check.fail((*path, i), "key", f"{what} key '{key}' is used twice")
        seen.add(key)


def content_hash(definition: dict) -> str:
    """SHA-256 of the canonical JSON of a definition: equal content, equal hash."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line text (lessons) as readable `|` blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _represent_str)


def dump_course(definition: dict) -> str:
    """The definition as a course file with lessons inline (parse_course reads it back equal)."""
    return yaml.dump(definition, Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True)
