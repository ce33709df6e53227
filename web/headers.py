"""Security headers on every response of the app: a Content-Security-Policy that allows no
inline script or style and no framing, X-Frame-Options, nosniff, a Referrer-Policy, and HSTS
when the app is served over https (PUBLIC_URL). The chat widget page may be framed by the
origins listed in CHAT_WIDGET_ORIGINS, and by no one else. Responses Flask does not make
(the Socket.IO transport's) get the same defaults from a WSGI wrapper."""

from __future__ import annotations

from flask import Flask, request

# The browser phone (Twilio Voice JS SDK) signals over Twilio's https and wss endpoints and
# plays its ringtones from Twilio's media host.
TWILIO_CONNECT = "https://*.twilio.com wss://*.twilio.com"
TWILIO_MEDIA = "https://*.twilio.com https://*.twiliocdn.com"
WIDGET_ENDPOINT = "chat.widget"
HSTS = "max-age=31536000"  # a year; no includeSubDomains: other hosts of the domain are not ours


def content_security_policy(frame_ancestors: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data: https:",  # lessons may show images from https sites
        "font-src": "'self'",
        "connect-src": f"'self' {TWILIO_CONNECT}",
        "media-src": f"'self' {TWILIO_MEDIA}",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def init_app(app: Flask) -> None:
    settings = app.config["CROWDLINE_SETTINGS"]
    widget_origins = " ".join(settings.chat_widget_origins)
    policies = {
        False: content_security_policy("'none'"),
        True: content_security_policy(widget_origins or "'none'"),
    }
    https = bool(settings.public_url and settings.public_url.startswith("https://"))

    defaults = [
        ("Content-Security-Policy", policies[False]),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
    if https:
        defaults.append(("Strict-Transport-Security", HSTS))
    app.wsgi_app = _WithDefaults(app.wsgi_app, defaults)

    @app.after_request
    def _security_headers(response):
        widget = request.endpoint == WIDGET_ENDPOINT
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policies[widget])
        if not (widget and widget_origins):  # X-Frame-Options cannot name several origins
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if https:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response


class _WithDefaults:
    """WSGI wrapper: a response that did not go through Flask's after_request (it has no CSP)
    gets `defaults`; one that did is left as the app made it."""

    def __init__(self, wsgi_app, defaults: list[tuple[str, str]]) -> None:
        self.wsgi_app, self.defaults = wsgi_app, defaults

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            if "content-security-policy" not in present:
                missing = [(n, v) for n, v in self.defaults if n.lower() not in present]
                headers = [*headers, *missing]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)
