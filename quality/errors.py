"""The error every quality service raises on bad input: it names the field, says why, and
carries the HTTP status an adapter answers with (nothing was written)."""

from __future__ import annotations


class QualityError(ValueError):
    def __init__(self, field: str, message: str, *, status: int = 422) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status

    def json(self) -> dict:
        return {"error": f"{self.field}: {self.message}", "fields": {self.field: self.message}}
