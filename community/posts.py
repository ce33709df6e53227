"""Questions, answers and comments: ask, answer, comment, vote, accept, mark official."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agents.models import Program, Role, User
from agents.validation import validate_text
from community.errors import Forbidden, InvalidValue, NotFound
from community.limits import check_links, held_for_review
from community.models import CommunitySettings, Member, Post, PostKind, PostStatus, Vote
from database.clock import SYSTEM, Clock, utcnow

MAX_TITLE = 200
MIN_TITLE = 8
MAX_BODY = 20_000
Author = Member | User


def program_by_code_or_raise(*, session: Session, code: str) -> Program:
    program = session.scalar(select(Program).where(Program.code == str(code)[:40]))
    if program is None or not program.is_active:
        raise NotFound(f"no community for program '{code[:40]}'", field="program")
    return program


def settings_for(*, session: Session, program_id: int) -> CommunitySettings:
    """The program's community settings (defaults when none were saved)."""
    return session.get(CommunitySettings, program_id) or CommunitySettings(
        program_id=program_id, is_public=True, escalate_after_minutes=120,
        escalation_queue_id=None, hold_first_posts=False, cost_per_contact=None,
    )


def _clean_body(body: str) -> str:
    text = validate_text(body, field="body", max_length=MAX_BODY)
    if not text:
        raise InvalidValue("body must not be empty", field="body")
    return text


def _clean_title(title: str) -> str:
    text = validate_text(title, field="title", max_length=MAX_TITLE)
    if len(text) < MIN_TITLE:
        raise InvalidValue(f"title must be at least {MIN_TITLE} characters", field="title")
    return text


def _status(session: Session, author: Author, program_id: int) -> PostStatus:
    settings = settings_for(session=session, program_id=program_id)
    held = held_for_review(session=session, author=author, settings=settings)
    return PostStatus.HELD if held else PostStatus.VISIBLE


def check_author(author: Author) -> dict:
    if isinstance(author, Member):
        if not author.is_verified or not author.is_active:
            raise Forbidden("verify your email address before posting", field="member")
        return {"member": author}
    return {"user": author}


def post_or_raise(*, session: Session, post_id: int, program_id: int | None = None) -> Post:
    post = session.get(Post, post_id)
    if post is None or (program_id is not None and post.program_id != program_id):
        raise NotFound(f"no post with id {post_id}", field="post_id")
    return post


def question_or_raise(*, session: Session, question_id: int, program_id: int | None = None) -> Post:
    post = post_or_raise(session=session, post_id=question_id, program_id=program_id)
    if post.kind is not PostKind.QUESTION:
        raise NotFound(f"no question with id {question_id}", field="question_id")
    return post


def ask(
    *,
    session: Session,
    program: Program,
    author: Author,
    title: str,
    body: str,
    urgent: bool = False,
    clock: Clock = SYSTEM,
) -> Post:
    """A new question in the program's community."""
    fields = check_author(author)
    check_links(session=session, author=author, body=body)
    question = Post(
        program_id=program.id,
        kind=PostKind.QUESTION,
        title=_clean_title(title),
        body=_clean_body(body),
        is_urgent=bool(urgent),
        status=_status(session, author, program.id),
        created_at=utcnow(clock),
        **fields,
    )
    session.add(question)
    session.flush()
    question.thread_id = question.id
    return question


def answer(
    *, session: Session, question: Post, author: Author, body: str, clock: Clock = SYSTEM
) -> Post:
    """An answer to `question`; the first visible one sets the question's time to answer (a
    held one sets it when a moderator releases it)."""
    if question.kind is not PostKind.QUESTION or question.status is PostStatus.HIDDEN:
        raise NotFound(f"no question with id {question.id}", field="question_id")
    fields = check_author(author)
    check_links(session=session, author=author, body=body)
    now = utcnow(clock)
    reply = Post(
        program_id=question.program_id,
        kind=PostKind.ANSWER,
        thread_id=question.id,
        parent_id=question.id,
        body=_clean_body(body),
        status=_status(session, author, question.program_id),
        created_at=now,
        **fields,
    )
    session.add(reply)
    if question.first_answered_at is None and reply.status is PostStatus.VISIBLE:
        question.first_answered_at = now
    session.flush()
    return reply


def comment(
    *, session: Session, parent: Post, author: Author, body: str, clock: Clock = SYSTEM
) -> Post:
    """A comment under a question or an answer."""
    if parent.kind is PostKind.COMMENT or parent.status is PostStatus.HIDDEN:
        raise InvalidValue("comments go under a question or an answer", field="post_id")
    fields = check_author(author)
    check_links(session=session, author=author, body=body)
    note = Post(
        program_id=parent.program_id,
        kind=PostKind.COMMENT,
        thread_id=parent.thread_id,
        parent_id=parent.id,
        body=_clean_body(body),
        status=_status(session, author, parent.program_id),
        created_at=utcnow(clock),
        **fields,
    )
    session.add(note)
    session.flush()
    return note


def vote(*, session: Session, post: Post, member: Member, value: int) -> int:
    """Record the member's vote (+1 helpful, -1 not, 0 withdraws it); returns the new score."""
    if value not in (-1, 0, 1):
        raise InvalidValue("value must be 1, 0 or -1", field="value")
    check_author(member)
    if post.member_id == member.id:
        raise Forbidden("you cannot vote on your own post", field="post_id")
    if post.kind is PostKind.COMMENT:
        raise InvalidValue("comments take no votes", field="post_id")
    existing = session.get(Vote, (post.id, member.id))
    if value == 0 and existing is not None:
        session.delete(existing)
    elif existing is not None:
        existing.value = value
    elif value:
        session.add(Vote(post_id=post.id, member_id=member.id, value=value))
    session.flush()
    post.score = (
        session.scalar(
            select(func.coalesce(func.sum(Vote.value), 0)).where(Vote.post_id == post.id)
        )
        or 0
    )
    return post.score


def accept(*, session: Session, question: Post, reply: Post, member: Member) -> None:
    """The asker accepts one answer of their question (accepting another replaces it)."""
    if question.member_id != member.id:
        raise Forbidden("only the member who asked may accept an answer", field="question_id")
    if reply.kind is not PostKind.ANSWER or reply.thread_id != question.id:
        raise InvalidValue("that answer does not belong to this question", field="answer_id")
    question.accepted_answer_id = reply.id


def can_moderate(actor: Author | None) -> bool:
    """Staff (supervisors, admins) and super users moderate and mark official answers."""
    if isinstance(actor, Member):
        return actor.is_super_user and actor.is_verified and actor.is_active
    return isinstance(actor, User) and actor.role in (Role.SUPERVISOR, Role.ADMIN)


def mark_official(*, session: Session, reply: Post, actor: Author, official: bool = True) -> None:
    if not can_moderate(actor):
        raise Forbidden("only staff and super users mark official answers", field="post_id")
    if reply.kind is not PostKind.ANSWER:
        raise InvalidValue("only answers can be official", field="post_id")
    reply.is_official = bool(official)


@dataclass
class QuestionRow:
    question: Post
    answers: int


@dataclass
class Thread:
    question: Post
    answers: list[Post]
    comments: dict[int, list[Post]] = field(default_factory=dict)


def list_questions(
    *, session: Session, program_id: int, limit: int = 30, offset: int = 0
) -> list[QuestionRow]:
    """Visible questions, newest first, with their visible answer counts."""
    answers = (
        select(Post.thread_id, func.count(Post.id).label("n"))
        .where(Post.kind == PostKind.ANSWER, Post.status == PostStatus.VISIBLE)
        .group_by(Post.thread_id)
        .subquery()
    )
    query = (
        select(Post, func.coalesce(answers.c.n, 0))
        .outerjoin(answers, answers.c.thread_id == Post.id)
        .where(
            Post.program_id == program_id,
            Post.kind == PostKind.QUESTION,
            Post.status == PostStatus.VISIBLE,
        )
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [QuestionRow(question=post, answers=n) for post, n in session.execute(query)]


def thread(*, session: Session, question: Post) -> Thread:
    """The question's visible answers (accepted first, then official, then by score, then
    oldest) and visible comments grouped by the post they are under."""
    posts = session.scalars(
        select(Post)
        .where(
            Post.thread_id == question.id, Post.id != question.id, Post.status == PostStatus.VISIBLE
        )
        .order_by(Post.created_at, Post.id)
    ).all()
    answers = [p for p in posts if p.kind is PostKind.ANSWER]
    answers.sort(key=lambda a: (a.id != question.accepted_answer_id, not a.is_official, -a.score))
    comments: dict[int, list[Post]] = {}
    for post in posts:
        if post.kind is PostKind.COMMENT:
            comments.setdefault(post.parent_id, []).append(post)
    return Thread(question=question, answers=answers, comments=comments)
