"""Settings read from the environment, validated at start with one clear line per bad variable."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from crowdline.mail_settings import MailSettings, mail_from_env
from crowdline.secret_key import secret_key_from
from database import urls
from pay.roi import parse_telephony_rates

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
TWILIO_VARIABLES = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("debug", "info", "warning", "error")


class ConfigError(ValueError):
    """A configuration value is wrong; the message names the variable and the reason."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    instance_path: Path
    embedded: bool = True
    redis_url: str | None = None
    public_url: str | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_api_key: str | None = None
    twilio_api_secret: str | None = None
    twilio_twiml_app_sid: str | None = None
    hold_music_url: str | None = None
    carrier_url: str | None = None
    presence_grace: float = 20.0
    chat_token_grace: float = 300.0
    proxy_hops: int = 0
    login_limit_per_account: str = "5 per 15 minutes"
    login_limit_per_address: str = "30 per 15 minutes"
    # The customer chat widget (/chat) is open to anyone: starts per socket and per address,
    # messages (and typing signals) per chat and per address.
    chat_limit_starts_per_client: str = "3 per 10 minutes"
    chat_limit_starts_per_address: str = "20 per 10 minutes"
    chat_limit_messages_per_chat: str = "30 per minute"
    chat_limit_messages_per_address: str = "120 per minute"
    max_body_bytes: int = 1024 * 1024
    log_format: str = "text"
    log_level: str = "info"
    metrics_token: str | None = None
    # Origins (https://shop.example.com) whose pages may embed the chat widget in a frame.
    chat_widget_origins: tuple[str, ...] = ()
    # Community mail (email verification): crowdline.mail_settings.
    mail: MailSettings = field(default_factory=MailSettings)
    # Carrier cost per minute per channel (ROI): TELEPHONY_RATES="voice=0.014,sms=0.0079".
    telephony_rates: dict = field(default_factory=lambda: parse_telephony_rates(None))
    testing: bool = False
    extra: dict = field(default_factory=dict)

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from `environ` (default os.environ); ConfigError names the first bad one."""
    env = dict(os.environ if environ is None else environ)
    instance = urls.instance_path(env)
    database_url, embedded = database_url_from(env)
    sid, token = (env.get(name) or None for name in TWILIO_VARIABLES)
    validate_twilio(sid, token)
    api_key, api_secret, app_sid = (
        env.get(name) or None
        for name in ("TWILIO_API_KEY", "TWILIO_API_SECRET", "TWILIO_TWIML_APP_SID")
    )
    validate_twilio_voice_sdk(sid, api_key, api_secret, app_sid)
    return Settings(
        database_url=database_url,
        secret_key=_secret_key(env.get("SECRET_KEY"), instance),
        instance_path=instance,
        embedded=embedded,
        redis_url=validate_redis_url(env.get("REDIS_URL") or None),
        public_url=validate_public_url(env.get("PUBLIC_URL") or None),
        twilio_account_sid=sid,
        twilio_auth_token=token,
        twilio_api_key=api_key,
        twilio_api_secret=api_secret,
        twilio_twiml_app_sid=app_sid,
        hold_music_url=validate_hold_music_url(env.get("HOLD_MUSIC_URL") or None),
        log_format=validate_choice("LOG_FORMAT", env.get("LOG_FORMAT"), LOG_FORMATS),
        log_level=validate_choice("LOG_LEVEL", env.get("LOG_LEVEL"), LOG_LEVELS, "info"),
        metrics_token=validate_metrics_token(env.get("METRICS_TOKEN") or None),
        chat_widget_origins=validate_widget_origins(env.get("CHAT_WIDGET_ORIGINS") or None),
        carrier_url=validate_carrier_url(env.get("CARRIER_URL") or None, sid),
        presence_grace=validate_presence_grace(env.get("PRESENCE_GRACE_SECONDS") or None),
        chat_token_grace=validate_chat_token_grace(env.get("CHAT_TOKEN_GRACE_SECONDS") or None),
        proxy_hops=validate_proxy_hops(env.get("PROXY_HOPS") or None),
        mail=_mail(env),
        telephony_rates=parse_telephony_rates(env.get("TELEPHONY_RATES"), error=ConfigError),
    )


def database_url_from(env: dict[str, str]) -> tuple[str, bool]:
    """(DATABASE_URL normalised, embedded?); the embedded default lives in CROWDLINE_INSTANCE."""
    try:
        return urls.database_url_from(env)
    except urls.DatabaseUrlError as error:
        raise ConfigError(str(error)) from None


def validate_redis_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    parts = _split(raw, "REDIS_URL")
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ConfigError("REDIS_URL: must start with redis://, rediss:// or unix://")
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError("REDIS_URL: no host name, e.g. redis://127.0.0.1:6379/0")
    try:
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise ConfigError("REDIS_URL: the port is not a number between 0 and 65535") from None
    return raw.strip()


def validate_carrier_url(raw: str | None, twilio_sid: str | None) -> str | None:
    """A simulated carrier process (`crowdline carrier`) shared by every process, instead of
    one in-process simulated carrier each (only without Twilio)."""
    if raw is None:
        return None
    parts = _split(raw, "CARRIER_URL")
    if parts.scheme != "http" or not parts.hostname or parts.path not in ("", "/"):
        raise ConfigError("CARRIER_URL: must be http://host:port of `crowdline carrier`")
    if twilio_sid:
        raise ConfigError("CARRIER_URL: the simulated carrier cannot be used with TWILIO_*")
    return raw.strip().rstrip("/")


def validate_public_url(raw: str | None) -> str | None:
    """The URL Twilio uses to reach us; webhook signatures are computed against it."""
    if raw is None:
        return None
    parts = _split(raw, "PUBLIC_URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            "PUBLIC_URL: must be an absolute http(s) URL such as https://cc.example.com"
        )
    if parts.query or parts.fragment:
        raise ConfigError("PUBLIC_URL: must not carry a query string or fragment")
    return raw.strip().rstrip("/")


def _split(raw: str, variable: str):
    try:
        return urlsplit(raw.strip())
    except ValueError as error:
        raise ConfigError(f"{variable}: not a valid URL ({error})") from None


def validate_twilio(sid: str | None, token: str | None) -> None:
    if bool(sid) != bool(token):
        missing = "TWILIO_AUTH_TOKEN" if sid else "TWILIO_ACCOUNT_SID"
        present = "TWILIO_ACCOUNT_SID" if sid else "TWILIO_AUTH_TOKEN"
        raise ConfigError(f"{missing}: required because {present} is set (set both or neither)")
    if sid and not re.fullmatch(r"AC[0-9a-fA-F]{32}", sid):
        raise ConfigError("TWILIO_ACCOUNT_SID: must be 'AC' followed by 32 hex digits")


def validate_twilio_voice_sdk(
    sid: str | None, api_key: str | None, secret: str | None, app_sid: str | None
) -> None:
    """The browser phone needs an API key, its secret and a TwiML app, all three or none."""
    given = {
        "TWILIO_API_KEY": api_key,
        "TWILIO_API_SECRET": secret,
        "TWILIO_TWIML_APP_SID": app_sid,
    }
    if not any(given.values()):
        return
    for name, value in given.items():
        if not value:
            others = ", ".join(n for n in given if n != name)
            raise ConfigError(f"{name}: required with {others} (set all three or none)")
    if not sid:
        raise ConfigError("TWILIO_API_KEY: needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN too")
    if not re.fullmatch(r"SK[0-9a-fA-F]{32}", api_key):
        raise ConfigError("TWILIO_API_KEY: must be 'SK' followed by 32 hex digits")
    if not re.fullmatch(r"AP[0-9a-fA-F]{32}", app_sid):
        raise ConfigError("TWILIO_TWIML_APP_SID: must be 'AP' followed by 32 hex digits")


def validate_proxy_hops(raw: str | None) -> int:
    """How many reverse proxies (nginx…) stand in front of the web processes and add
    X-Forwarded-For; 0 (the default) trusts no such header."""
    if raw is None:
        return 0
    if not raw.strip().isdigit() or int(raw) > 5:
        raise ConfigError("PROXY_HOPS: a whole number of proxies from 0 to 5")
    return int(raw)


def validate_presence_grace(raw: str | None) -> float:
    """Seconds an agent's console may be gone (reload, network blip) before they go offline."""
    if raw is None:
        return 20.0
    try:
        seconds = float(raw)
    except ValueError:
        raise ConfigError("PRESENCE_GRACE_SECONDS: not a number of seconds") from None
    if not 1 <= seconds <= 600:
        raise ConfigError("PRESENCE_GRACE_SECONDS: must be between 1 and 600 seconds")
    return seconds


def validate_chat_token_grace(raw: str | None) -> float:
    """Seconds a web-chat customer's token still opens the chat after it ended (a reload shows
    the end of the conversation); past that the token is refused and the transcript stays shut."""
    if raw is None:
        return 300.0
    try:
        seconds = float(raw)
    except ValueError:
        raise ConfigError("CHAT_TOKEN_GRACE_SECONDS: not a number of seconds") from None
    if not 0 <= seconds <= 86400:
        raise ConfigError("CHAT_TOKEN_GRACE_SECONDS: must be between 0 and 86400 seconds")
    return seconds


def validate_hold_music_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    parts = _split(raw, "PUBLIC_URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("HOLD_MUSIC_URL: must be an absolute http(s) URL of an audio file")
    return raw.strip()


def validate_choice(
    variable: str, raw: str | None, choices: tuple[str, ...], default: str | None = None
) -> str:
    """One of `choices` (case-insensitive); unset or empty means the default (the first)."""
    value = (raw or "").strip().lower()
    if not value:
        return default or choices[0]
    if value not in choices:
        raise ConfigError(f"{variable}: must be one of {', '.join(choices)} (got {raw.strip()!r})")
    return value


def validate_metrics_token(raw: str | None) -> str | None:
    """The bearer token that lets a scraper read /metrics from anywhere (see web.metrics)."""
    if raw is None:
        return None
    if len(raw.strip()) < 16 or any(c.isspace() for c in raw.strip()):
        raise ConfigError("METRICS_TOKEN: use at least 16 random characters without spaces")
    return raw.strip()


_ORIGIN = re.compile(r"^https?://(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$")


def validate_widget_origins(raw: str | None) -> tuple[str, ...]:
    """Origins allowed to frame /chat (CSP frame-ancestors), separated by spaces or commas."""
    if raw is None:
        return ()
    origins = tuple(o.strip().lower().rstrip("/") for o in re.split(r"[\s,]+", raw) if o.strip())
    for origin in origins:
        if not _ORIGIN.match(origin):
            raise ConfigError(
                f"CHAT_WIDGET_ORIGINS: {origin!r} is not an origin such as https://shop.example.com"
                " (scheme and host, optional *. and port, no path)"
            )
    return origins


def _secret_key(raw: str | None, instance: Path) -> str:
    try:
        return secret_key_from(raw, instance)
    except ValueError as error:
        raise ConfigError(str(error)) from None


def _mail(env: dict[str, str]) -> MailSettings:
    try:
        return mail_from_env(env)
    except ValueError as error:
        raise ConfigError(str(error)) from None
