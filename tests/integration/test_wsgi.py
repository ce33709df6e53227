"""The gunicorn entry point of a scaled-out web process (web.wsgi)."""

from __future__ import annotations

import pytest

from web.wsgi import create_web_process


def test_a_bad_setting_stops_the_web_process_with_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("CROWDLINE_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/crowdline")
    with pytest.raises(SystemExit) as stopped:
        create_web_process()
    assert stopped.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("crowdline: configuration error: DATABASE_URL")


def test_a_database_behind_the_code_is_refused_naming_the_command(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("CROWDLINE_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("SECRET_KEY", "a-secret-key-for-the-test-only")
    with pytest.raises(SystemExit) as stopped:
        create_web_process()
    assert stopped.value.code == 2
    assert "crowdline db upgrade" in capsys.readouterr().err


def test_an_unreachable_database_is_one_line_not_a_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("CROWDLINE_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("SECRET_KEY", "a-secret-key-for-the-test-only")
    with pytest.raises(SystemExit) as stopped:
        create_web_process()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("crowdline: cannot reach the database:") and "Traceback" not in err
