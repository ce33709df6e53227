"""Training tables: courses and their versions, modules, questions, enrolments, attempts,
answers, certifications and the training event outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agents.models import Agent, Program, User
from database.base import Base, UTCDateTime, utcnow


class Course(Base):
    """A course of one client program, identified by (program, code); its content lives in
    numbered versions and the highest version is the current one."""

    __tablename__ = "training_courses"
    __table_args__ = (
        UniqueConstraint("program_id", "code", name="uq_training_courses_program_id_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    program: Mapped[Program] = relationship(lazy="joined")
    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course", order_by="CourseVersion.version", lazy="selectin"
    )

    @property
    def current(self) -> CourseVersion:
        return self.versions[-1]


class CourseVersion(Base):
    """One immutable revision of a course; attempts and certifications keep pointing at it."""

    __tablename__ = "training_course_versions"
    __table_args__ = (
        UniqueConstraint(
            "course_id", "version", name="uq_training_course_versions_course_id_version"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # A certification is valid for this many days after it is issued.
    validity_days: Mapped[int] = mapped_column(Integer)
    # The recertification reminder goes out this many days before expiry.
    reminder_days: Mapped[int] = mapped_column(Integer)
    # Whether results show the correct choices and explanations after submission.
    reveal_answers: Mapped[bool] = mapped_column(default=False)
    # Required courses are what program eligibility (skills) and onboarding are built from.
    required: Mapped[bool] = mapped_column(default=True)
    # A requirement added to a live program may take effect later, so agents certify first:
    # until this instant the course does not count for eligibility (None: at once).
    required_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # SHA-256 of the canonical definition: importing the same content twice is a no-op.
    content_hash: Mapped[str] = mapped_column(String(64))
    # The normalised course file (lessons inline); exported back as YAML.
    definition: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship(back_populates="versions", lazy="joined")
    modules: Mapped[list[Module]] = relationship(
        back_populates="version", order_by="Module.position", lazy="selectin"
    )


class Module(Base):
    """A lesson (Markdown) and its quiz, at a position within a course version."""

    __tablename__ = "training_modules"
    __table_args__ = (
        UniqueConstraint("version_id", "position", name="uq_training_modules_version_id_position"),
        UniqueConstraint("version_id", "key", name="uq_training_modules_version_id_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("training_course_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # 1-based
    key: Mapped[str] = mapped_column(String(60))  # stable across versions (reports group by it)
    title: Mapped[str] = mapped_column(String(200))
    lesson_markdown: Mapped[str] = mapped_column(Text)
    pass_mark: Mapped[int] = mapped_column(Integer)  # percent of served questions, 1-100
    attempt_limit: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    cooldown_minutes: Mapped[int] = mapped_column(Integer, default=0)
    time_limit_minutes: Mapped[int] = mapped_column(Integer)  # an open attempt expires after
    shuffle: Mapped[bool] = mapped_column(default=False)
    sample_size: Mapped[int | None] = mapped_column(Integer)  # None: every question

    version: Mapped[CourseVersion] = relationship(back_populates="modules", lazy="joined")
    questions: Mapped[list[Question]] = relationship(
        back_populates="module", order_by="Question.position", lazy="selectin"
    )


class Question(Base):
    """A single- or multiple-choice question; `correct` never leaves the server before grading."""

    __tablename__ = "training_questions"
    __table_args__ = (
        UniqueConstraint("module_id", "key", name="uq_training_questions_module_id_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_modules.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10))  # "single" | "multiple"
    prompt: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    choices: Mapped[list] = mapped_column(JSON)  # [{"key": "a", "text": "..."}], file order
    correct: Mapped[list] = mapped_column(JSON)  # choice keys, sorted

    module: Mapped[Module] = relationship(back_populates="questions", lazy="joined")


class Enrolment(Base):
    """An agent taking one course version; a recertification is a new enrolment."""

    __tablename__ = "training_enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("training_course_versions.id", ondelete="RESTRICT"), index=True
    )
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agent: Mapped[Agent] = relationship(lazy="joined")
    version: Mapped[CourseVersion] = relationship(lazy="joined")


class Attempt(Base):
    """One sitting of a module's quiz by the enrolled agent: the served paper, then its grade."""

    __tablename__ = "training_attempts"
    __table_args__ = (
        UniqueConstraint(
            "enrolment_id",
            "module_id",
            "number",
            name="uq_training_attempts_enrolment_id_module_id_number",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("training_enrolments.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_modules.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # 1-based within (enrolment, module)
    # The served paper, in display order: [{"question_id": 7, "choices": ["c", "a", "b"]}].
    paper: Mapped[list] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correct_count: Mapped[int | None] = mapped_column(Integer)
    question_count: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column()

    module: Mapped[Module] = relationship(lazy="joined")
    enrolment: Mapped[Enrolment] = relationship(lazy="joined")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", order_by="Answer.id", lazy="selectin"
    )

    @property
    def score(self) -> float | None:
        """Percent of served questions answered correctly, one decimal."""
        if self.correct_count is None:
            return None
        return round(100 * self.correct_count / self.question_count, 1)


class Answer(Base):
    """What the agent chose for one served question, and whether it was right."""

    __tablename__ = "training_answers"
    __table_args__ = (
        UniqueConstraint(
            "attempt_id", "question_id", name="uq_training_answers_attempt_id_question_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("training_attempts.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("training_questions.id", ondelete="RESTRICT"), index=True
    )
    chosen: Mapped[list] = mapped_column(JSON)  # choice keys, sorted
    is_correct: Mapped[bool] = mapped_column()

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship(lazy="joined")


class Certification(Base):
    """Proof that an agent passed every module of a course version.

    Valid at time T when issued_at <= T < expires_at, and not revoked at or before T.
    """

    __tablename__ = "training_certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_courses.id", ondelete="RESTRICT"), index=True
    )
    version_id: Mapped[int] = mapped_column(
        ForeignKey("training_course_versions.id", ondelete="RESTRICT"), index=True
    )
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("training_enrolments.id", ondelete="RESTRICT"), unique=True
    )
    score: Mapped[float] = mapped_column()  # mean of the modules' passing scores, percent
    proficiency: Mapped[int] = mapped_column(Integer)  # 1-5, see training.grading.proficiency
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Set when a newer certification of the same course replaces this one.
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    # Bookkeeping of the jobs: when the reminder went out, when expiry was announced.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agent: Mapped[Agent] = relationship(lazy="joined")
    version: Mapped[CourseVersion] = relationship(lazy="joined")
    revoked_by: Mapped[User | None] = relationship(lazy="joined")

    def valid_at(self, at: datetime) -> bool:
        revoked = self.revoked_at is not None and self.revoked_at <= at
        return self.issued_at <= at < self.expires_at and not revoked

    def status_at(self, at: datetime) -> str:
        if self.revoked_at is not None and self.revoked_at <= at:
            return "revoked"
        if at >= self.expires_at:
            return "expired"
        return "superseded" if self.superseded_at is not None else "valid"


class TrainingEvent(Base):
    """Outbox of facts other parts react to (the dispatcher re-reads an agent's skills).

    Rows are appended in the same transaction as the change they describe; a consumer reads
    rows with processed_at IS NULL in id order and stamps processed_at when done.
    """

    __tablename__ = "training_events"
    __table_args__ = (Index("ix_training_events_pending", "processed_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # certification.issued | certification.revoked | certification.expired |
    # certification.reminder | agent.certified | agent.profile_changed
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"))
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_courses.id", ondelete="SET NULL")
    )
    certification_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_certifications.id", ondelete="SET NULL")
    )
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

