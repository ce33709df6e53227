"""The Flask secret key: from SECRET_KEY, else generated once, kept private and reused."""

from __future__ import annotations

import stat

import pytest

from crowdline.settings import ConfigError, load_settings


def test_a_short_secret_key_is_refused_naming_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="^SECRET_KEY: too short"):
        load_settings({"CROWDLINE_INSTANCE": str(tmp_path), "SECRET_KEY": "short"})
    assert not (tmp_path / "secret_key").exists()


def test_without_secret_key_one_is_generated_once_readable_by_the_owner_only(tmp_path):
    env = {"CROWDLINE_INSTANCE": str(tmp_path / "instance")}
    first = load_settings(env).secret_key
    kept = tmp_path / "instance" / "secret_key"
    assert len(first) >= 48 and kept.read_text() == first
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert load_settings(env).secret_key == first  # a restart keeps the sessions signed


def test_an_instance_path_that_is_a_file_is_named(tmp_path):
    occupied = tmp_path / "taken"
    occupied.write_text("not a folder")
    with pytest.raises(ConfigError, match="^CROWDLINE_INSTANCE: .* is not a folder"):
        load_settings({"CROWDLINE_INSTANCE": str(occupied)})
