"""Course files: the demo course, malformed files (file, line, place, field; nothing imported),
round trip, idempotent import and versioning, the CLI, and sanitised lessons."""

from __future__ import annotations

import shutil
import textwrap

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from training.course_format import dump_course, parse_course
from training.errors import CourseFileError
from training.importer import Outcome, import_path, import_text
from training.lessons import render_lesson
from training.models import Course, CourseVersion, Question

from .conftest import DEMO_COURSE

GOOD = textwrap.dedent(
    """\
    program: acme-claims
    code: mini
    title: Mini course
    modules:
      - key: one
        title: One
        lesson: "# Hello"
        quiz:
          questions:
            - key: q1
              prompt: Pick b
              choices:
                - text: A
                - text: B
                  correct: true
    """
)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_demo_course_has_at_least_three_modules_and_fifteen_questions(course):
    version = course.current
    assert course.code == "claims-intake" and version.title.startswith("Acme Insurance")
    assert len(version.modules) >= 3
    assert sum(len(m.questions) for m in version.modules) >= 15


@pytest.mark.parametrize(
    ("change", "line", "place", "field"),
    [
        (("            - text: B\n              correct: true\n", "            - text: B\n"),
         12, "modules[1].quiz.questions[1]", "choices"),
        (("    quiz:\n", "    quiz:\n      pass_mark: 140\n"), 9, "modules[1].quiz", "pass_mark"),
        (("title: Mini course\n", "title: Mini course\nvalidity: 30\n"), 4, "", "validity"),
        (("code: mini", "code: Not A Code"), 2, "", "code"),
        (('    lesson: "# Hello"\n', ""), 5, "modules[1]", "lesson"),
        (("          prompt: Pick b\n", ""), 10, "modules[1].quiz.questions[1]", "prompt"),
        (("        - key: q1\n", "        - key: q1\n          type: essay\n"), 11,
         "modules[1].quiz.questions[1]", "type"),
    ],
)  # fmt: skip
def test_a_malformed_course_names_file_line_place_and_field(change, line, place, field):
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(CourseFileError) as caught:
        parse_course(text, file="mini.yaml")
    problem = caught.value.problems[0]
    assert (problem.file, problem.place, problem.field) == ("mini.yaml", place, field)
    assert problem.line == line, str(problem)
    assert "mini.yaml" in caught.value.message and field in caught.value.message


def test_broken_yaml_names_the_line():
    with pytest.raises(CourseFileError) as caught:
        parse_course("title: [unclosed\nmodules: 3\n", file="broken.yaml")
    problem = caught.value.problems[0]
    assert problem.file == "broken.yaml" and problem.field == "yaml" and problem.line


def test_every_problem_is_reported_at_once():
    text = GOOD.replace("code: mini", "code: X").replace("title: Mini course", "title: ''")
    with pytest.raises(CourseFileError) as caught:
        parse_course(text, file="mini.yaml")
    assert {p.field for p in caught.value.problems} >= {"code", "title"}


def test_a_batch_with_one_bad_file_imports_nothing(db_session, program, tmp_path):
    shutil.copytree(DEMO_COURSE, tmp_path / "acme")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "course.yaml").write_text(
        GOOD.replace("    quiz:\n", "    quiz:\n      sample: 5\n")
    )
    with pytest.raises(CourseFileError) as caught:
        import_path(session=db_session, path=tmp_path)
    assert "bad/course.yaml" in str(caught.value.problems[0])
    assert caught.value.problems[0].field == "sample"
    assert _count(db_session, Course) == 0 and _count(db_session, Question) == 0


def test_unknown_program_is_refused(db_session, program):
    with pytest.raises(CourseFileError) as caught:
        import_text(session=db_session, text=GOOD.replace("acme-claims", "nope"), file="u.yaml")
    assert caught.value.problems[0].field == "program"
    assert _count(db_session, Course) == 0


def test_a_course_file_survives_export_and_import_unchanged(course):
    definition = course.current.definition
    assert parse_course(dump_course(definition), file="export.yaml") == definition


def test_importing_the_same_course_twice_changes_nothing(db_session, course):
    (again,) = import_path(session=db_session, path=DEMO_COURSE)
    assert again.outcome is Outcome.UNCHANGED
    assert _count(db_session, CourseVersion) == 1


def test_a_changed_course_becomes_a_new_version_and_the_old_one_stays(db_session, course):
    text = dump_course(course.current.definition).replace("pass_mark: 80", "pass_mark: 90")
    result = import_text(session=db_session, text=text, file="edited.yaml")
    assert result.outcome is Outcome.NEW_VERSION and result.version.version == 2
    versions = db_session.scalars(select(CourseVersion).order_by(CourseVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].modules[0].pass_mark == 80 and versions[1].modules[0].pass_mark == 90
    assert course.current.version == 2


def test_an_upload_must_carry_its_lessons_inline(db_session, program):
    text = GOOD.replace('lesson: "# Hello"', "lesson_file: lessons/x.md")
    with pytest.raises(CourseFileError) as caught:
        import_text(session=db_session, text=text, file="u.yaml")
    assert caught.value.problems[0].field == "lesson_file"


def test_a_lesson_file_outside_the_course_folder_is_refused(tmp_path):
    (tmp_path / "c").mkdir()
    text = GOOD.replace('lesson: "# Hello"', "lesson_file: ../secret.md")
    with pytest.raises(CourseFileError) as caught:
        parse_course(text, file="c/course.yaml", base_dir=tmp_path / "c")
    assert "outside" in caught.value.problems[0].message


def test_no_script_gets_through_a_lesson():
    html = render_lesson(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
        '<img src=x onerror="alert(1)">\n\n<a href="#" onclick="steal()">y</a>\n\n**ok**'
    )
    tags, attributes = _markup(html)
    assert "script" not in tags and "img" not in tags
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert not [v for name, v in attributes if name == "href" and "javascript" in (v or "")]
    assert "<strong>ok</strong>" in html


def _markup(html: str) -> tuple[set[str], list[tuple[str, str | None]]]:
    """The real elements and attributes of `html` (escaped text does not count)."""
    from html.parser import HTMLParser

    found: tuple[set[str], list] = (set(), [])

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found[0].add(tag)
            found[1].extend(attrs)

    Collect().feed(html)
    return found


def test_cli_imports_the_demo_course_once_and_reports_errors_without_importing(tmp_path):
    from crowdline.cli import cli

    env = {"CROWDLINE_INSTANCE": str(tmp_path / "i"), "DATABASE_URL": "", "SECRET_KEY": ""}
    runner = CliRunner()
    upgraded = runner.invoke(cli, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    from crowdline.settings import load_settings
    from database.engine import make_engine, make_session_factory
    from tests.factories import make_program

    engine = make_engine(load_settings(env | {"REDIS_URL": "", "PUBLIC_URL": ""}).database_url)
    with make_session_factory(engine).begin() as session:
        make_program(session, code="acme-claims")

    first = runner.invoke(cli, ["training", "import", str(DEMO_COURSE)], env=env)
    assert first.exit_code == 0, first.output
    assert "claims-intake v1: created" in first.output
    second = runner.invoke(cli, ["training", "import", str(DEMO_COURSE)], env=env)
    assert "unchanged" in second.output

    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("code: mini", "code: mini\nmodules_x: 1"))
    refused = runner.invoke(cli, ["training", "import", str(bad)], env=env)
    assert refused.exit_code != 0
    assert "bad.yaml:" in refused.output and "modules_x" in refused.output
    assert "nothing was imported" in refused.output
    with make_session_factory(engine)() as session:
        assert _count(session, Course) == 1
    engine.dispose()
