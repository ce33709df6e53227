"""Call recording end to end: the consent announcement and Twilio's conference recording in
the hold TwiML, the simulated carrier's WAV reported through the signed recording callback and
linked to the contact, playback only for the program's staff (each audited), and the
retention purge."""

from __future__ import annotations

import wave
from datetime import timedelta

from sqlalchemy import select

from agents.models import AuditEntry, Program
from channels.links import conference_name
from channels.recording_media import local_path, media_deleter
from quality import access, recordings
from quality import settings as quality_settings
from quality.models import Recording
from tests.channels.helpers import NUMBER, signed_post
from tests.factories import make_user
from tests.waiting import wait_until
from tests.web_client import login

CALLER = "+15557770077"


def _program_id(session) -> int:
    return session.scalar(select(Program.id).where(Program.code == "acme"))


def _recorded_call(center, tmp_path) -> tuple[str, Recording]:
    center.carrier.recordings_dir = tmp_path / "recordings"
    with center.sessions.begin() as session:
        quality_settings.save(
            session=session,
            program_id=_program_id(session),
            values={"recording": True, "retention_days": 30},
        )
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    center.carrier.hang_up_caller(call_sid)

    def linked():
        with center.sessions() as session:
            return session.scalar(select(Recording).where(Recording.task_id == call_sid))

    return call_sid, wait_until(linked)


def _client_of(center, user):
    client = center.app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_a_recorded_call_announces_consent_and_its_wav_is_linked_to_the_contact(center, tmp_path):
    call_sid, recording = _recorded_call(center, tmp_path)
    assert any(recordings.CONSENT in said for said in center.carrier.calls[call_sid].heard)
    path = local_path(recording.url, recording.recording_sid)
    with wave.open(str(path)) as audio:
        assert (audio.getnchannels(), audio.getframerate()) == (1, 8000)
        assert audio.getnframes() >= 8000  # at least a second of sound
    assert recording.purge_after - recording.created_at == timedelta(days=30)

    replay = signed_post(
        center.app.test_client(),
        f"/twilio/voice/call-recording?task={call_sid}",
        {
            "RecordingSid": recording.recording_sid,
            "RecordingUrl": "https://elsewhere.test/x",
            "RecordingStatus": "completed",
        },
        token=center.carrier.auth_token,
    )
    assert replay.status_code == 204
    with center.sessions() as session:
        rows = session.scalars(select(Recording).where(Recording.task_id == call_sid)).all()
        assert [r.url for r in rows] == [recording.url]  # once per RecordingSid


def test_only_the_programs_staff_play_a_recording_and_each_playback_is_audited(center, tmp_path):
    _call_sid, recording = _recorded_call(center, tmp_path)
    with center.sessions.begin() as session:
        reviewer, outsider = make_user(session, "supervisor"), make_user(session, "supervisor")
        admin = make_user(session, "admin")
        access.assign(
            session=session, program_id=_program_id(session), user=reviewer, duty="reviewer"
        )
    url = f"/quality/recordings/{recording.id}/audio"
    played = _client_of(center, reviewer).get(url)
    assert played.status_code == 200 and played.mimetype == "audio/wav"
    assert played.data[:4] == b"RIFF"
    assert _client_of(center, admin).get(url).status_code == 200
    refused = _client_of(center, outsider).get(url)
    assert refused.status_code == 403 and "program_id" in refused.get_json()["fields"]
    agent = center.app.test_client()
    assert login(agent, center.agents["ann"][1]).status_code == 302
    assert agent.get(url).status_code == 403
    with center.sessions() as session:
        plays = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "recording.play").order_by(AuditEntry.id)
        ).all()
        assert [(p.actor_user_id, p.entity_id) for p in plays] == [
            (reviewer.id, recording.id),
            (admin.id, recording.id),
        ]


def test_recordings_past_retention_are_purged_and_no_longer_played(center, tmp_path):
    _call_sid, recording = _recorded_call(center, tmp_path)
    path = local_path(recording.url, recording.recording_sid)
    delete = media_deleter(center.carrier)
    with center.sessions.begin() as session:
        early = recording.purge_after - timedelta(seconds=1)
        assert recordings.purge_expired(session=session, now=early, delete_media=delete) == 0
        late = recording.purge_after + timedelta(seconds=1)
        assert recordings.purge_expired(session=session, now=late, delete_media=delete) == 1
    assert not path.exists()
    with center.sessions.begin() as session:
        admin = make_user(session, "admin")
    gone = _client_of(center, admin).get(f"/quality/recordings/{recording.id}/audio")
    assert gone.status_code == 410


def test_a_program_that_does_not_record_says_no_consent_and_keeps_no_recording(center):
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    center.carrier.hang_up_caller(call_sid)
    wait_until(center.carrier.calls[call_sid].ended.is_set)
    assert not any(recordings.CONSENT in said for said in center.carrier.calls[call_sid].heard)
    with center.sessions() as session:
        assert session.scalars(select(Recording)).all() == []


def test_the_purge_runs_as_a_job_registered_beside_the_active_engine(center, tmp_path):
    from apscheduler.schedulers.background import BackgroundScheduler

    from crowdline import wiring
    from quality.jobs import QualityJobs

    scheduler = BackgroundScheduler(timezone="UTC")
    for register in wiring.quality_jobs(center.sessions, center.carrier):
        register(scheduler)
    assert "quality-purge-recordings" in {job.id for job in scheduler.get_jobs()}
    _call_sid, recording = _recorded_call(center, tmp_path)

    class Later:
        def now(self):
            return recording.purge_after.timestamp() + 60

    job = QualityJobs(
        sessions=center.sessions, delete_media=media_deleter(center.carrier), clock=Later()
    )
    assert job.purge() == 1
    with center.sessions() as session:
        assert session.get(Recording, recording.id).purged_at is not None
