"""Client programs API: staff read, admins create and edit."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from spectree import Response

from agents import programs
from agents.models import Role
from web import db
from web.access import STAFF, roles_required
from web.api.blueprint import bp
from web.api.schemas import ErrorOut, ProgramCreate, ProgramList, ProgramOut, ProgramUpdate
from web.api.spec import api_spec

TAGS = ["programs"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}


def program_out(program) -> ProgramOut:
    return ProgramOut.model_validate(program, from_attributes=True)


@bp.get("/programs")
@roles_required(*STAFF)
@api_spec.validate(resp=Response(HTTP_200=ProgramList, **ERRORS), tags=TAGS)
def list_programs():
    return ProgramList(items=[program_out(p) for p in programs.list_programs(session=db.session())])


@bp.post("/programs")
@roles_required(Role.ADMIN)
@api_spec.validate(
    json=ProgramCreate, resp=Response(HTTP_201=ProgramOut, HTTP_409=ErrorOut, **ERRORS), tags=TAGS
)
def create_program():
    body: ProgramCreate = request.context.json
    program = programs.create_program(
        session=db.session(), actor_id=current_user.id, **body.model_dump()
    )
    return program_out(program), 201


@bp.get("/programs/<int:program_id>")
@roles_required(*STAFF)
@api_spec.validate(resp=Response(HTTP_200=ProgramOut, **ERRORS), tags=TAGS)
def get_program(program_id: int):
    return program_out(programs.program_or_raise(session=db.session(), program_id=program_id))


@bp.patch("/programs/<int:program_id>")
@roles_required(Role.ADMIN)
@api_spec.validate(json=ProgramUpdate, resp=Response(HTTP_200=ProgramOut, **ERRORS), tags=TAGS)
def update_program(program_id: int):
    session = db.session()
    program = programs.program_or_raise(session=session, program_id=program_id)
    programs.update_program(
        session=session,
        actor_id=current_user.id,
        program=program,
        changes=request.context.json.model_dump(exclude_unset=True),
    )
    return program_out(program)
