"""Recordings made by the simulated carrier: when a recorded conference ends it writes a short
WAV file (the stdlib `wave` module: a quiet two-tone beep, up to MAX_SECONDS) and reports it to
the conference's recordingStatusCallback exactly as Twilio would (RecordingSid, RecordingUrl —
here a file:// URL — RecordingDuration, RecordingStatus=completed)."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

from channels.simulated_ids import sid

RATE = 8000  # samples per second, mono 16-bit: what a phone line carries
MAX_SECONDS = 3


def write_wav(path: Path, seconds: float) -> Path:
    """A tone of min(seconds, MAX_SECONDS) (at least 1 s) at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = int(RATE * max(1.0, min(seconds, MAX_SECONDS)))
    samples = (
        int(3000 * math.sin(2 * math.pi * (440 if (n // RATE) % 2 == 0 else 660) * n / RATE))
        for n in range(frames)
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path


def report_recording(carrier, callback: str, seconds: float) -> None:
    """Write the recording of a conference that lasted `seconds` and post its callback."""
    recording_sid = sid("RE")
    path = write_wav(Path(carrier.recordings_dir) / f"{recording_sid}.wav", seconds)
    carrier.post(callback, {
        "AccountSid": "AC" + "0" * 32, "RecordingSid": recording_sid,
        "RecordingUrl": path.resolve().as_uri(), "RecordingDuration": str(int(seconds)),
        "RecordingStatus": "completed", "RecordingChannels": "1", "RecordingSource": "Conference",
    })  # fmt: skip
