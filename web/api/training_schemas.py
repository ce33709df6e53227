"""Request and response schemas of the training API (courses, enrolments, attempts,
certifications, skills); correct answers appear only in a submitted attempt's result."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from web.api.schemas import Id, IsoDateTime, Strict, text


class ModuleOut(BaseModel):
    id: int
    position: int
    key: str
    title: str
    pass_mark: int = Field(description="percent of served questions")
    attempt_limit: int | None
    cooldown_minutes: int
    time_limit_minutes: int
    question_pool: int
    questions_served: int


class CourseOut(BaseModel):
    id: int
    program_code: str
    code: str
    version: int
    version_id: int
    title: str
    description: str
    validity_days: int
    reminder_days: int
    required: bool
    reveal_answers: bool
    modules: list[ModuleOut]


class CourseList(BaseModel):
    items: list[CourseOut]


class CourseUpdate(Strict):
    """Admin edits; a real change makes a new course version."""

    title: text(200) | None = None
    validity_days: int | None = Field(None, ge=1, le=3650)
    pass_mark: int | None = Field(None, ge=1, le=100, description="applied to every module")


class CourseImport(Strict):
    yaml: str = Field(
        min_length=1, description="a course file with its lessons inline (docs/course-format.md)"
    )
    file_name: str = "upload.yaml"
    required_from: datetime | None = Field(
        None, description="a requirement this import adds takes effect at this instant (UTC "
        "when no offset is given), so agents can certify first; default: at once",
    )
    confirm_eligibility_loss: bool = Field(
        False, description="import even though active agents would lose eligibility at once "
        "(without it such an import is refused with 409, naming how many)",
    )


class CourseImported(BaseModel):
    outcome: str = Field(description="created | new version | unchanged")
    course: CourseOut
    losing_eligibility_now: int = Field(
        description="active agents this import took out of the program's routing at once"
    )
    losing_eligibility_later: int = Field(
        description="active agents who lose eligibility at required_from unless they certify"
    )
    required_from: datetime | None = Field(description="when the course's requirement starts")


class EnrolmentIn(Strict):
    course_id: Id


class EnrolmentOut(BaseModel):
    id: int
    agent_id: int
    course_id: int
    version: int
    enrolled_at: datetime
    completed_at: datetime | None


class EnrolmentList(BaseModel):
    items: list[EnrolmentOut]


class AgentFilter(Strict):
    agent_id: Id | None = Field(None, description="staff only; agents always see their own")


class AttemptIn(Strict):
    module_id: Id


class ChoiceOut(BaseModel):
    key: str
    text: str


class QuestionOut(BaseModel):
    id: int
    kind: str = Field(description="single | multiple")
    prompt: str
    choices: list[ChoiceOut]


class GradedOut(QuestionOut):
    chosen: list[str]
    is_correct: bool
    correct: list[str] | None = Field(description="only when the course reveals answers")
    explanation: str | None


class AttemptOut(BaseModel):
    id: int
    agent_id: int
    module_id: int
    number: int
    started_at: datetime
    expires_at: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None
    questions: list[QuestionOut] = Field(description="the paper; empty once submitted")
    results: list[GradedOut] = Field(description="per question, after submission")


class AttemptSummary(BaseModel):
    id: int
    agent_id: int
    module_id: int
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None


class AttemptList(BaseModel):
    items: list[AttemptSummary]


class SubmissionIn(Strict):
    answers: dict[str, list[str]] = Field(
        description='question id → chosen choice keys, e.g. {"12": ["b"]}'
    )


class CertificationOut(BaseModel):
    id: int
    agent_id: int
    course_id: int
    course_code: str
    program_code: str
    version: int
    score: float
    proficiency: int
    issued_at: datetime
    expires_at: datetime
    status: str = Field(description="valid | superseded | expired | revoked (now)")
    revoked_at: datetime | None
    revoke_reason: str


class CertificationList(BaseModel):
    items: list[CertificationOut]


class CertificationFilter(AgentFilter):
    course_id: Id | None = None


class RevokeIn(Strict):
    reason: text(500)


class SkillOut(BaseModel):
    code: str = Field(description="the client program's code")
    proficiency: int
    languages: list[str]
    expires_at: datetime


class SkillList(BaseModel):
    agent_id: int
    at: datetime
    items: list[SkillOut]


class SkillQuery(Strict):
    at: IsoDateTime | None = Field(None, description="ISO 8601 with a zone; default now")


class HardQuestionOut(BaseModel):
    module_key: str
    question_key: str
    prompt: str
    answered: int
    right_rate: float


class CourseReportOut(BaseModel):
    course_id: int
    enrolled: int
    certified: int
    pass_rate: float | None
    mean_attempts: float | None
    mean_score: float | None
    hardest: list[HardQuestionOut]
