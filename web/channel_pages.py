"""Numbers page: staff see which numbers and widgets lead to which program, menu and queues;
admins add or change them (menu lines: `digit | label | queue | language`)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from agents import programs
from agents.models import Role
from channels import entry_points
from web import db
from web.access import STAFF, roles_required

bp = Blueprint("channels", __name__, url_prefix="/channels")


def parse_menu(text: str) -> list[dict]:
    options = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
        options.append({"digit": parts[0], "label": parts[1], "queue_id": parts[2],
                        "language": parts[3] or None})  # fmt: skip
    return options


def menu_text(menu: list[dict]) -> str:
    return "\n".join(
        f"{o['digit']} | {o['label']} | {o['queue_id']} | {o.get('language') or ''}" for o in menu
    )


@bp.route("/numbers", methods=["GET", "POST"])
@roles_required(*STAFF)
def numbers():
    session = db.session()
    error, form = None, request.form
    if request.method == "POST":
        if current_user.role is not Role.ADMIN:
            abort(403)
        try:
            entry = entry_points.save(
                session=session, address=form.get("address", ""),
                program_code=form.get("program", ""), queue_id=form.get("queue_id", "").strip(),
                greeting=form.get("greeting", ""), language=form.get("language") or None,
                menu=parse_menu(form.get("menu", "")),
            )  # fmt: skip
        except entry_points.EntryPointError as bad:
            error = bad
        else:
            flash(f"Saved {entry.address}.", "info")
            return redirect(url_for("channels.numbers"))
    return render_template(
        "chat/numbers.html",
        entries=entry_points.list_entry_points(session=session),
        programs=programs.list_programs(session=session),
        error=error, form=form, menu_text=menu_text,
    ), (422 if error else 200)  # fmt: skip
