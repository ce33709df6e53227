"""Field rules shared by forms, API schemas and the CLI: email, phone (E.164), languages, zone."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from agents.errors import InvalidValue

LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
MAX_PAY_RATE = Decimal("100")


def normalise_email(raw: str) -> str:
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidValue(f"email is not valid: {error}", field="email") from None
    return result.normalized.lower()


def normalise_phone(raw: str | None) -> str | None:
    """Parse a phone number written in international form and return it in E.164."""
    if raw is None or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw.strip(), None)
    except phonenumbers.NumberParseException:
        raise InvalidValue(
            "phone must be in international form starting with +, e.g. +14155550123",
            field="phone",
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue(f"phone {raw.strip()} is not a valid number", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_languages(raw: list[str] | str) -> list[str]:
    """Language codes (ISO 639, e.g. en, es), lower case, unique, in the given order."""
    items = raw.replace(";", ",").split(",") if isinstance(raw, str) else list(raw)
    codes: list[str] = []
    for item in items:
        code = str(item).strip().lower()
        if not code:
            continue
        if not LANGUAGE_RE.match(code):
            raise InvalidValue(
                f"language '{item}' is not an ISO 639 code such as en or es", field="languages"
            )
        if code not in codes:
            codes.append(code)
    return codes


def validate_timezone(raw: str) -> str:
    name = raw.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(
            f"timezone '{raw}' is not an IANA zone such as America/Chicago", field="timezone"
        ) from None
    if name not in available_timezones() and name != "UTC":
        raise InvalidValue(f"timezone '{raw}' is not an IANA zone", field="timezone")
    return name


def validate_pay_rate(raw) -> Decimal:
    """Pay per talk minute: 0 ≤ rate ≤ 100, at most 4 decimal places."""
    try:
        rate = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise InvalidValue(
            "pay_rate_per_minute must be a number", field="pay_rate_per_minute"
        ) from None
    if not rate.is_finite() or rate < 0 or rate > MAX_PAY_RATE:
        raise InvalidValue(
            f"pay_rate_per_minute must be between 0 and {MAX_PAY_RATE}", field="pay_rate_per_minute"
        )
    if rate.as_tuple().exponent < -4:
        raise InvalidValue(
            "pay_rate_per_minute has more than 4 decimal places", field="pay_rate_per_minute"
        )
    return rate


def validate_text(raw: str, *, field: str, max_length: int, required: bool = True) -> str:
    """Trimmed text; control characters other than line breaks and tabs are refused."""
    value = (raw or "").strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
        raise InvalidValue(f"{field} must not contain control characters", field=field)
    if required and not value:
        raise InvalidValue(f"{field} is required", field=field)
    if len(value) > max_length:
        raise InvalidValue(f"{field} must be at most {max_length} characters", field=field)
    return value
