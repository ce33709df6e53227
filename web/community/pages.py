"""Community reading and writing pages: the question list (with search), ask, a thread,
answer, comment, vote, accept, official."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from community import posts, reputation
from community.errors import CommunityError
from community.models import Member, PostStatus
from community.search import search
from web import db
from web.community.blueprint import bp, writer
from web.community.forms import ActionForm, AskForm, CommentForm, ReplyForm
from web.community.identity import current_member, staff_user
from web.forms import attach_error


@bp.get("")
def index():
    """Public (public programs): the newest questions, or search hits for ?q=."""
    session, program = db.session(), g.community_program
    query = request.args.get("q", "").strip()[:200]
    hits = search(session=session, program_id=program.id, query=query, limit=30) if query else []
    rows = [] if query else posts.list_questions(session=session, program_id=program.id)
    return render_template("community/index.html", program=program, rows=rows, hits=hits,
                           query=query, member=current_member())  # fmt: skip


@bp.route("/ask", methods=["GET", "POST"])
def ask():
    """Verified members and staff: ask a question."""
    author = writer()
    form = AskForm()
    if form.validate_on_submit():
        try:
            question = posts.ask(session=db.session(), program=g.community_program, author=author,
                                 title=form.title.data, body=form.body.data,
                                 urgent=form.urgent.data)  # fmt: skip
        except CommunityError as error:
            attach_error(form, error)
            return render_template("community/ask.html", form=form), 422
        return redirect(url_for("community.question", question_id=question.id))
    return render_template("community/ask.html", form=form), 400 if form.errors else 200


def _question(question_id: int):
    question = posts.question_or_raise(session=db.session(), question_id=question_id,
                                       program_id=g.community_program.id)  # fmt: skip
    if question.status is not PostStatus.VISIBLE and not posts.can_moderate(_actor()):
        abort(404)
    return question


def _actor():
    return current_member() or staff_user()


@bp.get("/questions/<int:question_id>")
def question(question_id: int):
    """Public (public programs): a question, its answers and comments."""
    return _render_thread(_question(question_id), ReplyForm(formdata=None))


def _render_thread(question, reply_form, status: int = 200):
    thread = posts.thread(session=db.session(), question=question)
    actor = _actor()
    authors = sorted({p.member_id for p in [question, *thread.answers] if p.member_id})
    ranks = reputation.ranks(session=db.session(), member_ids=authors)
    return render_template("community/question.html", thread=thread, reply_form=reply_form,
                           ranks=ranks,
                           comment_form=CommentForm(formdata=None), member=current_member(),
                           can_moderate=posts.can_moderate(actor),
                           is_asker=isinstance(actor, Member) and actor.id == question.member_id,
                           ), status  # fmt: skip


@bp.post("/questions/<int:question_id>/answers")
def answer(question_id: int):
    """Verified members and staff: answer a question."""
    author = writer()
    question = _question(question_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _render_thread(question, form, 400)
    try:
        reply = posts.answer(session=db.session(), question=question, author=author,
                             body=form.body.data)  # fmt: skip
    except CommunityError as error:
        attach_error(form, error)
        return _render_thread(question, form, 422)
    return redirect(url_for("community.question", question_id=question.id, _anchor=f"p{reply.id}"))


def _post(post_id: int):
    return posts.post_or_raise(session=db.session(), post_id=post_id,
                               program_id=g.community_program.id)  # fmt: skip


def _back(post):
    return redirect(
        url_for("community.question", question_id=post.thread_id, _anchor=f"p{post.id}")
    )


@bp.post("/posts/<int:post_id>/comments")
def comment(post_id: int):
    """Verified members and staff: comment under a question or answer."""
    author = writer()
    parent = _post(post_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            posts.comment(session=db.session(), parent=parent, author=author, body=form.body.data)
        except CommunityError as error:
            flash(error.message, "error")
    else:
        flash("The comment is empty or too long.", "error")
    return _back(parent)


@bp.post("/posts/<int:post_id>/vote")
def vote(post_id: int):
    """Verified members: helpful (value=1), not helpful (-1) or withdraw (0)."""
    member = writer()
    post = _post(post_id)
    if not isinstance(member, Member):
        abort(403)
    if ActionForm().validate_on_submit():
        raw = request.form.get("value", "")
        value = int(raw) if raw in ("1", "0", "-1") else 99
        try:
            posts.vote(session=db.session(), post=post, member=member, value=value)
        except CommunityError as error:
            flash(error.message, "error")
    return _back(post)


@bp.post("/questions/<int:question_id>/accept/<int:answer_id>")
def accept(question_id: int, answer_id: int):
    """The member who asked: accept an answer."""
    member = writer()
    question = _question(question_id)
    if not isinstance(member, Member) or member.id != question.member_id:
        abort(403)
    if ActionForm().validate_on_submit():
        try:
            posts.accept(session=db.session(), question=question, reply=_post(answer_id),
                         member=member)  # fmt: skip
        except CommunityError as error:
            flash(error.message, "error")
    return redirect(url_for("community.question", question_id=question.id))


@bp.post("/posts/<int:post_id>/official")
def official(post_id: int):
    """Staff and super users: mark an answer official (official=0 unmarks it)."""
    actor = writer()
    if not posts.can_moderate(actor):
        abort(403)
    post = _post(post_id)
    if ActionForm().validate_on_submit():
        try:
            posts.mark_official(session=db.session(), reply=post, actor=actor,
                                official=request.form.get("official", "1") != "0")  # fmt: skip
        except CommunityError as error:
            flash(error.message, "error")
    return _back(post)
