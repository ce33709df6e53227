"""Training reports: per course (enrolled, pass rate, attempts, scores, hardest questions) and
per agent (transcript), each exportable as CSV.

Definitions: enrolled = agents with an enrolment in any version; pass rate = certified agents /
enrolled agents; mean attempts = submitted attempts per (enrolment, module) that has any; mean
score = mean score of submitted attempts; hardest questions = lowest share of right answers,
grouped by module key and question key across versions.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from agents.models import Agent
from training.models import (
    Answer,
    Attempt,
    Certification,
    Course,
    CourseVersion,
    Enrolment,
    Module,
    Question,
)

HARDEST_COUNT = 5


@dataclass(frozen=True)
class HardQuestion:
    module_key: str
    question_key: str
    prompt: str
    answered: int
    right: int

    @property
    def right_rate(self) -> float:
        return round(100 * self.right / self.answered, 1)


@dataclass
class CourseReport:
    course: Course
    enrolled: int = 0
    certified: int = 0
    mean_attempts: float | None = None
    mean_score: float | None = None
    hardest: list[HardQuestion] = field(default_factory=list)
    agents: list[dict] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return round(100 * self.certified / self.enrolled, 1) if self.enrolled else None


def course_report(*, session: Session, course: Course, at: datetime) -> CourseReport:
    report = CourseReport(course=course)
    enrolments = list(
        session.scalars(
            select(Enrolment).join(Enrolment.version).where(CourseVersion.course_id == course.id)
        )
    )
    attempts = list(
        session.scalars(
            select(Attempt)
            .where(Attempt.enrolment_id.in_([e.id for e in enrolments] or [-1]))
            .where(Attempt.submitted_at.is_not(None))
        )
    )
    certifications = list(
        session.scalars(select(Certification).where(Certification.course_id == course.id))
    )
    report.enrolled = len({e.agent_id for e in enrolments})
    report.certified = len({c.agent_id for c in certifications})
    per_sitting = defaultdict(int)
    for attempt in attempts:
        per_sitting[(attempt.enrolment_id, attempt.module_id)] += 1
    if per_sitting:
        report.mean_attempts = round(sum(per_sitting.values()) / len(per_sitting), 2)
    if attempts:
        report.mean_score = round(sum(a.score for a in attempts) / len(attempts), 1)
    report.hardest = _hardest(session, course)
    report.agents = _agent_rows(enrolments, attempts, certifications, at)
    return report


def _hardest(session: Session, course: Course) -> list[HardQuestion]:
    rows = session.execute(
        select(
            Module.key,
            Question.key,
            Question.prompt,
            func.count(Answer.id),
            func.sum(case((Answer.is_correct, 1), else_=0)),
        )
        .join(Answer.question)
        .join(Question.module)
        .join(Module.version)
        .where(CourseVersion.course_id == course.id)
        .group_by(Module.key, Question.key, Question.prompt)
    )
    grouped: dict[tuple[str, str], list] = {}
    for module_key, question_key, prompt, answered, right in rows:
        entry = grouped.setdefault((module_key, question_key), [prompt, 0, 0])
        entry[0], entry[1], entry[2] = prompt, entry[1] + answered, entry[2] + int(right or 0)
    items = [HardQuestion(m, q, p, n, r) for (m, q), (p, n, r) in grouped.items() if n]
    items.sort(key=lambda h: (h.right / h.answered, -h.answered, h.module_key, h.question_key))
    return items[:HARDEST_COUNT]


def _agent_rows(enrolments, attempts, certifications, at: datetime) -> list[dict]:
    by_agent: dict[int, dict] = {}
    for enrolment in sorted(enrolments, key=lambda e: e.id):
        row = by_agent.setdefault(
            enrolment.agent_id,
            {"agent": enrolment.agent, "enrolled_at": enrolment.enrolled_at, "attempts": 0,
             "scores": [], "certification": None},
        )  # fmt: skip
        row["version"] = enrolment.version.version
    for attempt in attempts:
        by_agent[attempt.agent_id]["attempts"] += 1
        by_agent[attempt.agent_id]["scores"].append(attempt.score)
    for certification in sorted(certifications, key=lambda c: c.issued_at):
        if certification.agent_id in by_agent:
            by_agent[certification.agent_id]["certification"] = certification
    rows = []
    for row in by_agent.values():
        cert = row["certification"]
        scores = row.pop("scores")
        row["mean_score"] = round(sum(scores) / len(scores), 1) if scores else None
        row["status"] = cert.status_at(at) if cert else "in training"
        rows.append(row)
    return sorted(rows, key=lambda r: r["agent"].user.display_name.lower())


@dataclass
class Transcript:
    agent: Agent
    enrolments: list[Enrolment]
    attempts: list[Attempt]
    certifications: list[Certification]


def transcript(*, session: Session, agent: Agent) -> Transcript:
    return Transcript(
        agent=agent,
        enrolments=list(
            session.scalars(
                select(Enrolment).where(Enrolment.agent_id == agent.id).order_by(Enrolment.id)
            )
        ),
        attempts=list(
            session.scalars(
                select(Attempt).where(Attempt.agent_id == agent.id).order_by(Attempt.id)
            )
        ),
        certifications=list(
            session.scalars(
                select(Certification)
                .where(Certification.agent_id == agent.id)
                .order_by(Certification.id)
            )
        ),
    )


def _cell(value) -> str:
    """Text for a CSV cell; a leading = + - @ is neutralised so spreadsheets do not run it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue()


def course_report_csv(report: CourseReport) -> str:
    header = ["agent", "email", "version", "enrolled_at", "attempts", "mean_score", "status",
              "proficiency", "expires_at"]  # fmt: skip
    rows = []
    for row in report.agents:
        cert = row["certification"]
        rows.append([
            row["agent"].user.display_name, row["agent"].user.email, row.get("version"),
            row["enrolled_at"], row["attempts"], row["mean_score"], row["status"],
            cert.proficiency if cert else None, cert.expires_at if cert else None,
        ])  # fmt: skip
    return _csv(header, rows)


def transcript_csv(record: Transcript, *, at: datetime) -> str:
    header = ["record", "course", "version", "module", "attempt", "at", "score", "result",
              "proficiency", "expires_at"]  # fmt: skip
    rows = []
    for a in record.attempts:
        version = a.module.version
        result = "open" if a.submitted_at is None else ("passed" if a.passed else "failed")
        rows.append([
            "attempt", version.course.code, version.version, a.module.title, a.number,
            a.submitted_at or a.started_at, a.score, result, None, None,
        ])  # fmt: skip
    for c in record.certifications:
        rows.append([
            "certification", c.version.course.code, c.version.version, None, None, c.issued_at,
            c.score, c.status_at(at), c.proficiency, c.expires_at,
        ])  # fmt: skip
    return _csv(header, rows)
