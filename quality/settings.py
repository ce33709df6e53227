"""Per-program quality settings (quality.models.ProgramQuality): read with the defaults of a
program that has none, and saved with every value checked."""

from __future__ import annotations

from sqlalchemy.orm import Session

from quality.errors import QualityError
from quality.models import DEFAULT_WEIGHTS, ProgramQuality

DEFAULTS = {
    "voice_survey": False, "chat_survey": False, "recording": False, "retention_days": 90,
    "sample_per_agent": 2, "handle_time_target": 300, "weights": dict(DEFAULT_WEIGHTS),
}  # fmt: skip
FLAGS = ("voice_survey", "chat_survey", "recording")
LIMITS = {"retention_days": (1, 3650), "sample_per_agent": (0, 50),
          "handle_time_target": (10, 7200)}  # fmt: skip


def get(*, session: Session, program_id: int) -> ProgramQuality:
    """The program's settings; an unsaved row of the defaults when it has none."""
    found = session.get(ProgramQuality, program_id)
    return found if found is not None else ProgramQuality(program_id=program_id, **_defaults())


def _defaults() -> dict:
    return {**DEFAULTS, "weights": dict(DEFAULT_WEIGHTS)}


def as_dict(row: ProgramQuality) -> dict:
    return {name: getattr(row, name) for name in DEFAULTS}


def save(*, session: Session, program_id: int, values: dict) -> ProgramQuality:
    """Apply `values` (any subset of DEFAULTS) after checking all of them; QualityError names
    the first bad field and nothing changes."""
    checked = validate(values)
    row = session.get(ProgramQuality, program_id)
    if row is None:
        row = ProgramQuality(program_id=program_id, **_defaults())
        session.add(row)
    for name, value in checked.items():
        setattr(row, name, value)
    session.flush()
    return row


def validate(values: dict) -> dict:
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise QualityError(unknown[0], "unknown setting")
    checked = {}
    for name, value in values.items():
        if name in FLAGS:
            if not isinstance(value, bool):
                raise QualityError(name, "must be true or false")
        elif name in LIMITS:
            low, high = LIMITS[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise QualityError(name, f"a whole number from {low} to {high}")
        else:
            value = validate_weights(value)
        checked[name] = value
    return checked


def validate_weights(weights) -> dict:
    """Weights of the performance score: whole percents per component, summing to 100."""
    if not isinstance(weights, dict) or set(weights) - set(DEFAULT_WEIGHTS):
        raise QualityError("weights", f"an object with keys among {sorted(DEFAULT_WEIGHTS)}")
    full = {key: weights.get(key, 0) for key in DEFAULT_WEIGHTS}
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in full.values()):
        raise QualityError("weights", "each weight is a whole number, 0 or more")
    if sum(full.values()) != 100:
        raise QualityError("weights", f"must sum to 100 (they sum to {sum(full.values())})")
    return full
