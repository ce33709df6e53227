"""Role matrix: every page and API route × {anonymous, agent, supervisor, admin}; community
routes also × {member, super user} (members sign in apart, under their own session key)."""

from __future__ import annotations

import pytest

from tests.web_client import login

A, S, D = "agent", "supervisor", "admin"
PUBLIC = "public"
STAFF = {S, D}

# (endpoint, method) → who may use it. A new route fails test_every_route_is_in_the_matrix
# until it is classified here.
MATRIX = {
    ("pages.healthz", "GET"): PUBLIC,
    ("pages.favicon", "GET"): PUBLIC,
    # Not by role: loopback only, or METRICS_TOKEN (tests/web/test_metrics.py).
    ("metrics.metrics", "GET"): PUBLIC,
    ("openapi.openapi_document", "GET"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.logout", "POST"): PUBLIC,
    ("pages.home", "GET"): {A, S, D},
    ("pages.my_profile", "GET"): {A},
    ("pages.my_profile", "POST"): {A},
    ("roster.index", "GET"): STAFF,
    ("roster.detail", "GET"): STAFF,
    ("roster.edit", "GET"): STAFF,
    ("roster.edit", "POST"): STAFF,
    ("roster.new", "GET"): STAFF,
    ("roster.new", "POST"): STAFF,
    ("roster.change_stage", "POST"): STAFF,
    ("programs.index", "GET"): STAFF,
    ("programs.new", "GET"): {D},
    ("programs.new", "POST"): {D},
    ("programs.edit", "GET"): {D},
    ("programs.edit", "POST"): {D},
    ("api.list_agents", "GET"): STAFF,
    ("api.create_agent", "POST"): STAFF,
    ("api.get_agent", "GET"): STAFF,
    ("api.update_agent", "PATCH"): STAFF,
    ("api.change_stage", "POST"): STAFF,
    ("api.stage_history", "GET"): STAFF,
    ("api.get_me", "GET"): {A},
    ("api.update_me", "PATCH"): {A},
    ("api.list_audit", "GET"): STAFF,
    ("api.list_programs", "GET"): STAFF,
    ("api.create_program", "POST"): {D},
    ("api.get_program", "GET"): STAFF,
    ("api.update_program", "PATCH"): {D},
    ("api.send_command", "POST"): STAFF,
    ("api.set_my_status", "POST"): {A},
    ("api.answer_offer", "POST"): {A},
    ("api.live_queues", "GET"): STAFF,
    ("api.interval_stats", "GET"): STAFF,
    ("api.erlang_staffing", "GET"): STAFF,
    ("api.list_tokens", "GET"): {D},
    ("api.create_token", "POST"): {D},
    ("api.revoke_token", "DELETE"): {D},
    ("api.list_courses", "GET"): {A, S, D},
    ("api.get_course", "GET"): {A, S, D},
    ("api.update_course", "PATCH"): {D},
    ("api.import_course", "POST"): {D},
    ("api.course_report", "GET"): STAFF,
    ("api.list_enrolments", "GET"): {A, S, D},
    ("api.create_enrolment", "POST"): {A},
    ("api.list_attempts", "GET"): {A, S, D},
    ("api.start_attempt", "POST"): {A},
    ("api.get_attempt", "GET"): {A, S, D},
    ("api.submit_attempt", "POST"): {A},
    ("api.list_certifications", "GET"): {A, S, D},
    ("api.revoke_certification", "POST"): STAFF,
    ("api.agent_skills", "GET"): STAFF,
    ("training.my_courses", "GET"): {A},
    ("training.enrol", "POST"): {A},
    ("training.course", "GET"): {A},
    ("training.lesson", "GET"): {A, S, D},
    ("training.start_attempt", "POST"): {A},
    ("training.attempt", "GET"): {A, S, D},
    ("training.submit", "POST"): {A},
    ("training.my_certificates", "GET"): {A},
    ("training_admin.courses_index", "GET"): STAFF,
    ("training_admin.import_course", "POST"): {D},
    ("training_admin.edit", "GET"): {D},
    ("training_admin.edit", "POST"): {D},
    ("training_admin.export", "GET"): STAFF,
    ("training_admin.report", "GET"): STAFF,
    ("training_admin.report_csv", "GET"): STAFF,
    ("training_admin.transcript", "GET"): STAFF,
    ("training_admin.transcript_csv", "GET"): STAFF,
    ("training_admin.revoke", "POST"): STAFF,
    ("twilio.incoming_call", "POST"): PUBLIC,
    ("twilio.menu_choice", "POST"): PUBLIC,
    ("twilio.hold", "POST"): PUBLIC,
    ("twilio.call_status", "POST"): PUBLIC,
    ("twilio.agent_answered", "POST"): PUBLIC,
    ("twilio.agent_choice", "POST"): PUBLIC,
    ("twilio.agent_call_status", "POST"): PUBLIC,
    ("twilio.consult_status", "POST"): PUBLIC,
    ("twilio.fallback", "POST"): PUBLIC,
    ("twilio.recording", "POST"): PUBLIC,
    ("twilio.rejoin", "POST"): PUBLIC,
    ("twilio.conversation_event", "POST"): PUBLIC,
    ("twilio.survey", "POST"): PUBLIC,  # signed by Twilio; only the contact's caller answers
    ("twilio.survey_answer", "POST"): PUBLIC,
    ("twilio.call_recording", "POST"): PUBLIC,
    ("chat.widget", "GET"): PUBLIC,
    ("chat.socketio_client", "GET"): PUBLIC,
    ("chat.rate_chat", "POST"): PUBLIC,  # the chat token is the customer's credential
    ("channels.numbers", "GET"): STAFF,
    ("channels.numbers", "POST"): {D},
    ("api.list_numbers", "GET"): STAFF,
    ("api.save_number", "PUT"): {D},
    ("api.voice_token", "POST"): {A},
    ("api.set_voice_endpoint", "PUT"): {A},
    ("api.transcript", "GET"): STAFF,
    ("api.coach", "POST"): STAFF,
    ("api.list_dispositions", "GET"): STAFF,
    ("api.replace_dispositions", "PUT"): STAFF,
    ("console.console", "GET"): {A},
    ("console.history_today", "GET"): {A},
    ("console.contact_transcript", "GET"): {A},
    ("console.state", "GET"): {A},
    ("console.my_day", "GET"): {A},
    ("console.set_status", "POST"): {A},
    ("console.hang_up", "POST"): {A},
    ("console.wrap_up", "POST"): {A},
    ("console.extend_wrap_up", "POST"): {A},
    ("console.my_canned", "GET"): {A},
    ("console.list_canned", "GET"): STAFF,
    ("console.create_canned", "POST"): STAFF,
    ("console.update_canned", "PATCH"): STAFF,
    ("console.delete_canned", "DELETE"): STAFF,
    ("console.canned_page", "GET"): STAFF,
    ("console.canned_page", "POST"): STAFF,
    ("console.delete_canned_page", "POST"): STAFF,
    ("dispositions.edit", "GET"): STAFF,
    ("dispositions.edit", "POST"): STAFF,
    ("console.voice_sdk", "GET"): {A},
    ("dashboard.dashboard", "GET"): STAFF,
    ("dashboard.summary", "GET"): STAFF,
    ("dashboard.waiting_chart", "GET"): STAFF,
    ("dashboard.chart_library", "GET"): STAFF,
    **{
        (f"community.{name}", method): PUBLIC
        for name, method in (
            ("join", "GET"),
            ("join", "POST"),
            ("signin", "GET"),
            ("signin", "POST"),
            ("signout", "POST"),
            ("verify", "GET"),
        )
    },  # fmt: skip
    ("community.index", "GET"): "community-read",
    ("community.question", "GET"): "community-read",
    ("community.ask", "GET"): "community-write",
    ("community.ask", "POST"): "community-write",
    ("community.answer", "POST"): "community-write",
    ("community.comment", "POST"): "community-write",
    ("community.vote", "POST"): "community-member",
    ("community.accept", "POST"): "community-member",
    ("community.official", "POST"): "community-moderate",
    ("community.review", "GET"): "community-moderate",
    ("community.moderate", "POST"): "community-moderate",
    ("community.volunteer_console", "GET"): "community-volunteer",
    **{
        (f"community.volunteer_{name}", "POST"): "community-volunteer"
        for name in ("opt", "status", "offer", "hang_up", "extend", "wrap_up")
    },  # fmt: skip
    ("community.volunteer_state", "GET"): "community-volunteer",
    ("api.community_search", "GET"): "community-read",
    # Deflection verdicts come from anonymous chat customers (rate limited per address).
    ("api.record_community_deflection", "POST"): PUBLIC,
    ("api.create_community_question", "POST"): "community-write",
    ("api.create_community_answer", "POST"): "community-answer",
    ("api.create_community_flag", "POST"): "community-write",
    ("api.community_stats_report", "GET"): STAFF,
    ("api.get_community_settings", "GET"): STAFF,
    ("api.update_community_settings", "PATCH"): STAFF,
    ("api.workforce_forecast", "GET"): STAFF,
    ("api.workforce_blocks", "GET"): {A, S, D},
    ("api.commit_block", "POST"): {A},
    ("api.uncommit_block", "DELETE"): {A},
    ("api.update_block", "PATCH"): STAFF,
    ("api.publish_week", "POST"): STAFF,
    ("api.put_override", "PUT"): STAFF,
    ("api.set_agent_tier", "PUT"): STAFF,
    ("api.workforce_adherence", "GET"): {A, S, D},
    ("workforce.my_schedule", "GET"): {A},
    ("workforce.manage", "GET"): STAFF,
    ("coverage.coverage_page", "GET"): STAFF,
    ("schedule_block.block_page", "GET"): STAFF,
    ("schedule_block.message_agents", "POST"): STAFF,
    ("coverage.coverage_csv", "GET"): STAFF,
    ("schedule_feed.make_feed", "POST"): {A},
    ("schedule_feed.revoke_feed", "POST"): {A},
    ("schedule_feed.set_reminders", "POST"): {A},
    # Anyone holding the agent's feed secret (unknown secret → 404; rate limited per address).
    ("schedule_feed.calendar", "GET"): PUBLIC,
    ("api.pay_statement", "GET"): {A, S, D},
    ("api.my_pay", "GET"): {A},
    ("api.add_adjustment", "POST"): STAFF,
    ("pay.statement_page", "GET"): {A, S, D},
    ("pay.statement_csv", "GET"): {A, S, D},
    ("pay.payout_csv", "GET"): STAFF,
    ("pay.adjust", "POST"): STAFF,
    ("api.roi", "GET"): STAFF,
    ("reports.roi_page", "GET"): STAFF,
    ("reports.roi_csv", "GET"): STAFF,
    # Staff of the recording's program only (tests/channels/test_recordings.py).
    ("quality.play_recording", "GET"): STAFF,
    # Staff see their programs' reviews (tests/quality, tests/web/test_quality_api.py).
    ("quality.review_queue", "GET"): STAFF,
    ("quality.review_page", "GET"): STAFF,
    ("quality.review_page", "POST"): STAFF,
    ("quality.my_quality", "GET"): {A},
    ("quality.acknowledge", "POST"): {A},
    ("api.list_reviews", "GET"): {A, S, D},
    ("api.score_review", "POST"): STAFF,
    ("api.acknowledge_review", "POST"): {A},
    ("api.save_scorecard", "PUT"): STAFF,
    ("api.save_settings", "PUT"): {D},
    ("api.list_scores", "GET"): {A, S, D},
    ("api.recompute_scores", "POST"): {D},
    ("api.calibration_report", "GET"): STAFF,
    ("api.assign_calibration", "POST"): STAFF,
}
IGNORED_ENDPOINTS = {"static"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS or rule.rule.startswith("/apidoc"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_is_in_the_matrix(app):
    found = {(rule.endpoint, method) for rule, method in _routes(app)}
    assert found - set(MATRIX) == set(), "classify new routes in MATRIX"
    assert set(MATRIX) - found == set(), "MATRIX names routes that no longer exist"


@pytest.fixture
def no_csrf_app(settings, session_factory):
    """Role checks in isolation (CSRF has its own tests)."""
    from web.app import create_app

    return create_app(
        settings.with_(extra={"WTF_CSRF_ENABLED": False, "ROUTING_WAIT": 0.05}),
        session_factory=session_factory,
    )


@pytest.mark.parametrize("role", [None, A, S, D])
def test_each_route_answers_each_role_as_the_matrix_says(no_csrf_app, users, program, role):
    client = no_csrf_app.test_client()
    if role:
        assert login(client, users[role].email).status_code == 302
    ids = {"agent_id": users[A].agent.id, "program_id": program.id, "token_id": 999999}
    ids |= dict.fromkeys(("course_id", "module_id", "attempt_id", "certification_id"), 999999)
    ids |= {"reservation_id": "t#1", "action": "accept"}
    ids |= {"queue_id": "no-such-queue", "task_id": "no-such-task", "response_id": 999999}
    ids |= {"block_id": 999999}
    ids |= {"program": program.code}  # the community settings API (community pages are apart)
    ids |= dict.fromkeys(("recording_id", "review_id", "scorecard_id"), 999999)
    for rule, method in _routes(no_csrf_app):
        allowed = MATRIX[(rule.endpoint, method)]
        if (
            allowed == PUBLIC
            or rule.endpoint == "auth.logout"
            or str(allowed).startswith("community")
        ):
            continue
        path = rule.build({k: v for k, v in ids.items() if k in rule.arguments})[1]
        response = client.open(path, method=method, json={} if path.startswith("/api/") else None)
        where = f"{method} {path} as {role or 'anonymous'}"
        if role is None:
            if path.startswith("/api/"):
                assert response.status_code == 401, where
            else:
                assert response.status_code == 302, where
                assert response.headers["Location"].startswith("/login"), where
        elif role in allowed:
            assert response.status_code not in (401, 403), where
            assert not response.headers.get("Location", "").startswith("/login"), where
        else:
            assert response.status_code == 403, where


# Community routes: who may use them (anonymous and agents, who are not members, are sent to
# the community's own sign-in; a member acting beyond their rights gets 403).
M, SU = "member", "super user"
COMMUNITY = {
    "community-read": {None, M, SU, A, S, D},
    "community-write": {M, SU, S, D},
    "community-member": {M, SU},
    "community-moderate": {SU, S, D},
    "community-answer": {M, SU, A, S, D},  # the API: paid agents answer escalated questions
    "community-volunteer": {SU},  # the volunteer console: super users only, never staff
}


@pytest.fixture
def community_ids(db_session, program):
    from tests.community.helpers import make_member, make_question

    members = {M: make_member(db_session), SU: make_member(db_session, super_user=True)}
    ids = {}
    for role, member in members.items():
        question = make_question(db_session, program, member)
        helper = members[SU if role == M else M]
        from community import posts

        reply = posts.answer(session=db_session, question=question, author=helper, body="Try this.")
        ids[role] = {"program": program.code, "question_id": question.id, "post_id": reply.id,
                     "answer_id": reply.id, "token": "no-such-token", "choice": "join",
                     "action": "accept", "reservation_id": "no-such#1"}  # fmt: skip
    db_session.commit()
    return members, ids


@pytest.mark.parametrize("role", [None, M, SU, A, S, D])
def test_each_community_route_answers_each_role_as_the_matrix_says(
    no_csrf_app, users, community_ids, role
):
    from tests.community.helpers import PASSWORD

    members, ids = community_ids
    client = no_csrf_app.test_client()
    if role in members:
        signin = f"/community/{ids[role]['program']}/signin"
        client.post(signin, data={"email": members[role].email, "password": PASSWORD})
    elif role:
        assert login(client, users[role].email).status_code == 302
    values = ids.get(role, ids[M])
    for rule, method in _routes(no_csrf_app):
        allowed = MATRIX[(rule.endpoint, method)]
        if not (isinstance(allowed, str) and allowed.startswith("community")):
            continue
        path = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
        where = f"{method} {path} as {role or 'anonymous'}"
        if path.startswith("/api/"):
            response = client.open(path, method=method, json={"body": "An answer"})
            expected = 200 if role in COMMUNITY[allowed] else 401 if role is None else 403
            assert (response.status_code not in (401, 403)) == (expected == 200), where
            assert expected == 200 or response.status_code == expected, where
            continue
        response = client.open(path, method=method, data={"body": "An answer", "value": "1"})
        location = response.headers.get("Location", "")
        if role in COMMUNITY[allowed]:
            assert response.status_code not in (401, 403), where
            assert "/signin" not in location and not location.startswith("/login"), where
        elif role in (None, A):
            assert response.status_code == 302 and "/signin" in location, where
        else:
            assert response.status_code == 403, where
