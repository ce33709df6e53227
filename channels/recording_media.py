"""Where a call recording's audio is: a WAV file the simulated carrier wrote (a file:// URL
named after its RecordingSid) or Twilio's media URL. Playback reads the file or sends the
browser to Twilio's `.mp3`; the retention purge deletes the file or asks Twilio to delete it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from channels.gateway import GatewayError


def local_path(url: str, recording_sid: str) -> Path | None:
    """The simulated carrier's file of the recording (only a .wav named after its sid)."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    path = Path(url2pathname(parsed.path))
    return path if path.name == f"{recording_sid}.wav" else None


def audio(url: str, recording_sid: str) -> tuple[bytes | None, str | None]:
    """(WAV bytes, None) for a file recording; (None, Twilio's media URL) otherwise."""
    path = local_path(url, recording_sid)
    if path is None:
        if urlparse(url).scheme != "https":
            raise GatewayError(f"recording {recording_sid}: no playable media", status=404)
        return None, url + ".mp3"
    if not path.is_file():
        raise GatewayError(f"recording {recording_sid}: the file is gone", status=404)
    return path.read_bytes(), None


def media_deleter(gateway):
    """delete(recording) for the purge job: the file, or the recording at the carrier."""

    def delete(recording) -> None:
        path = local_path(recording.url, recording.recording_sid)
        if path is not None:
            path.unlink(missing_ok=True)
            return
        remove = getattr(gateway, "delete_recording", None)
        if remove is None:
            raise GatewayError(f"this carrier cannot delete {recording.recording_sid}")
        remove(recording.recording_sid)

    return delete
