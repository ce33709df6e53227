"""The wrap-up codes page (`/dispositions?queue=ID`): staff edit a queue's codes, their labels
and which count as conversions in ROI (channels.dispositions). A row left without a code is
dropped; bad input re-renders with 422 naming the row's field, nothing written."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from channels import dispositions
from dispatcher.tables import RoutingQueue
from web import db
from web.access import STAFF, roles_required

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


@bp.route("/dispositions", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit():
    """GET: the chosen queue's codes as editable rows (plus blank ones); POST: replace them."""
    session = db.session()
    queues = session.execute(
        select(RoutingQueue.queue_id, RoutingQueue.program).order_by(RoutingQueue.queue_id)
    ).all()  # fmt: skip
    queue_id = request.args.get("queue") or (queues[0].queue_id if queues else "")
    if queues and queue_id not in {q.queue_id for q in queues}:
        abort(404)
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
