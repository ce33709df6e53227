"""Password hashing with Argon2id (memory-hard), and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from agents.errors import InvalidValue

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()  # argon2-cffi's RFC 9106 low-memory profile: 64 MiB, 3 passes


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(password) > 256:
        raise InvalidValue("password must be at most 256 characters", field="password")


# Verifying against a throwaway hash keeps failed logins for unknown emails as slow as real ones.
DUMMY_HASH = _hasher.hash("not-a-real-password")
