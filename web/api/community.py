"""Community API: search (anyone who may read the program's community), questions, answers
and flags (verified members by their session cookie with X-CSRFToken; staff by token or
cookie; paid agents may answer)."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, request, url_for
from flask_login import current_user
from spectree import Response

from agents.models import Program, Role
from community import deflection, flags, posts
from community.search import search
from web import db
from web.api.blueprint import bp
from web.api.community_schemas import (
    AnswerIn,
    DeflectionIn,
    DeflectionOut,
    FlagIn,
    FlagOut,
    PostOut,
    QuestionIn,
    SearchQuery,
    SearchResults,
)
from web.api.errors import error_response
from web.api.schemas import ErrorOut
from web.api.spec import api_spec
from web.community.identity import current_member
from web.extensions import csrf, limiter

TAGS = ["community"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}


def _actor(*, agents: bool = False):
    """The member or roster user calling; 401 when nobody is signed in, 403 for agents
    unless `agents`."""
    member = current_member()
    if member is not None and not current_user.is_authenticated:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # a member's cookie is forgeable by another site without it
        return member
    if not current_user.is_authenticated:
        abort(error_response(401, "authentication required: sign in or send a bearer token"))
    if current_user.role is Role.AGENT and not agents:
        abort(error_response(403, "agents cannot do this; members and staff can"))
    return current_user._get_current_object()


def writer_required(*, agents: bool = False):
    """Who may write, checked before the body is validated (like roles_required)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.community_author = _actor(agents=agents)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _readable(code: str):
    """The program's community, if the caller may read it (public, or a member or staff)."""
    program = posts.program_by_code_or_raise(session=db.session(), code=code)
    settings = posts.settings_for(session=db.session(), program_id=program.id)
    if not settings.is_public and current_member() is None and not current_user.is_authenticated:
        abort(error_response(401, "this community is private: sign in"))
    return program


def post_out(post, program_code: str) -> PostOut:
    url = url_for("community.question", program=program_code, question_id=post.thread_id)
    return PostOut(id=post.id, kind=post.kind.value, program=program_code,
                   thread_id=post.thread_id, title=post.title, body=post.body,
                   status=post.status.value, author=post.author_name,
                   author_kind=post.author_kind, created_at=post.created_at,
                   url=url if post.id == post.thread_id else f"{url}#p{post.id}")  # fmt: skip


@bp.get("/community/search")
@api_spec.validate(query=SearchQuery, resp=Response(HTTP_200=SearchResults, **ERRORS), tags=TAGS,
                   security={})  # public: no credential needed
def community_search():
    """Public for public communities: questions matching every word of q, best first
    (SQLite FTS5 bm25 or PostgreSQL ts_rank; the last word matches as a prefix); match=any
    finds questions with at least one of the words (deflection suggestions)."""
    args: SearchQuery = request.context.query
    program = _readable(args.program)
    hits = search(session=db.session(), program_id=program.id, query=args.q, limit=args.limit,
                  any_word=args.match == "any")  # fmt: skip
    return SearchResults(items=[
        {"question_id": h.question_id, "title": h.title, "rank": h.rank, "answered": h.answered,
         "url": url_for("community.question", program=program.code, question_id=h.question_id)}
        for h in hits])  # fmt: skip


@bp.post("/community/questions")
@writer_required()
@api_spec.validate(json=QuestionIn, resp=Response(HTTP_201=PostOut, **ERRORS), tags=TAGS)
def create_community_question():
    """Verified members and staff: ask a question (title 8-200 characters, body up to 20,000,
    links limited for new members)."""
    author = g.community_author
    body: QuestionIn = request.context.json
    program = _readable(body.program)
    question = posts.ask(session=db.session(), program=program, author=author, title=body.title,
                         body=body.body, urgent=body.urgent)  # fmt: skip
    return post_out(question, program.code), 201


@bp.post("/community/questions/<int:question_id>/answers")
@writer_required(agents=True)
@api_spec.validate(json=AnswerIn, resp=Response(HTTP_201=PostOut, **ERRORS), tags=TAGS)
def create_community_answer(question_id: int):
    """Verified members, staff and paid agents: answer a question."""
    author = g.community_author
    session = db.session()
    question = posts.question_or_raise(session=session, question_id=question_id)
    program = _readable(_program_code(question.program_id))
    reply = posts.answer(session=session, question=question, author=author,
                         body=request.context.json.body)  # fmt: skip
    return post_out(reply, program.code), 201


@bp.post("/community/posts/<int:post_id>/flags")
@writer_required()
@api_spec.validate(json=FlagIn, resp=Response(HTTP_201=FlagOut, HTTP_409=ErrorOut, **ERRORS),
                   tags=TAGS)  # fmt: skip
def create_community_flag(post_id: int):
    """Verified members and staff: flag a post as spam, abuse or wrong (one open flag each)."""
    author = g.community_author
    session = db.session()
    post = posts.post_or_raise(session=session, post_id=post_id)
    _readable(_program_code(post.program_id))
    body: FlagIn = request.context.json
    made = flags.flag(session=session, post=post, author=author, reason=body.reason,
                      note=body.note)  # fmt: skip
    return FlagOut(id=made.id, post_id=post.id, reason=made.reason.value,
                   status=made.status.value, created_at=made.created_at), 201  # fmt: skip


def _program_code(program_id: int) -> str:
    return db.session().get(Program, program_id).code


@bp.post("/community/deflections")
@limiter.limit(
    "30 per minute",
    scope="community-deflections",
    error_message="Too many answers from this address; try again in a minute.",
)
@api_spec.validate(json=DeflectionIn, resp=Response(HTTP_201=DeflectionOut, **ERRORS), tags=TAGS,
                   security={})  # public: no credential needed
def record_community_deflection():
    """Public (the chat widget's customers are anonymous): the customer's verdict on the
    suggestions shown before chatting or asking ("solved" with the question that helped, or
    "need_help"). Limited to 30 a minute per address."""
    body: DeflectionIn = request.context.json
    program = _readable(body.program)
    made = deflection.record(session=db.session(), program_id=program.id, source=body.source,
                             outcome=body.outcome, query=body.query,
                             question_id=body.question_id)  # fmt: skip
    return DeflectionOut(id=made.id, outcome=made.outcome.value, created_at=made.created_at), 201
