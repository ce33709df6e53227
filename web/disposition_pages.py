"""The wrap-up codes page (`/dispositions?queue=ID`): staff edit a queue's codes, their labels
and which count as conversions in ROI (channels.dispositions). A row left without a code is
dropped; bad input re-renders with 422 naming the row's field, nothing written. A supervisor
lists and edits the queues of the programs they have a duty in (another's is a 403)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from channels import dispositions
from dispatcher.tables import RoutingQueue
from pay import access
from web import db
from web.access import STAFF, refuse_page, roles_required

bp = Blueprint("dispositions", __name__)
BLANK_ROWS = 3


def _rows_from_form() -> list[tuple[str, str, bool]]:
    """(code, label, conversion) of every row the form posted with a code, in order."""
    rows = []
    for n in range(dispositions.MAX_CODES + BLANK_ROWS):
        code = request.form.get(f"code-{n}", "").strip()
        if code:
            rows.append((code, request.form.get(f"label-{n}", "")[:80],
                         request.form.get(f"conversion-{n}") == "on"))  # fmt: skip
    return rows


def _queues():
    """(queue_id, program) of the queues the staff user may edit, in order."""
    seen = access.program_codes_of(session=db.session(), user=current_user)
    query = select(RoutingQueue.queue_id, RoutingQueue.program).order_by(RoutingQueue.queue_id)
    if seen is not None:
        query = query.where(RoutingQueue.program.in_(seen))
    return db.session().execute(query).all()


@bp.route("/dispositions", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit():
    """GET: the chosen queue's codes as editable rows (plus blank ones); POST: replace them."""
    session = db.session()
    queues = _queues()
    queue_id = request.args.get("queue") or (queues[0].queue_id if queues else "")
    if queue_id and queue_id not in {q.queue_id for q in queues}:
        found = session.get(RoutingQueue, queue_id)
        if found is None:
            abort(404)
        refuse_page(f"queue: {queue_id} belongs to a program you do not supervise.")
    errors: dict[str, str] = {}
    if request.method == "POST" and queue_id:
        rows = _rows_from_form()
        try:
            dispositions.replace_codes(session=session, queue_id=queue_id, codes=rows)
        except dispositions.DispositionError as error:
            session.rollback()
            errors = {error.field: error.message}
            codes = [{"code": c, "label": label, "conversion": v} for c, label, v in rows]
        else:
            session.commit()
            flash(f"Saved the wrap-up codes of {queue_id}.", "info")
            return redirect(url_for("dispositions.edit", queue=queue_id))
    else:
        codes, _default = dispositions.list_codes(session=session, queue_id=queue_id)
    return render_template(
        "dispositions/edit.html", queues=queues, queue_id=queue_id, codes=codes,
        blank=BLANK_ROWS, errors=errors,
    ), (422 if errors else 200)  # fmt: skip
