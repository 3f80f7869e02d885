"""Response headers that make the browser enforce what the app already promises.

No page uses a script, inline or not, so the policy allows none.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def strict_transport_security(include_subdomains: bool) -> str:
    return "max-age=31536000" + ("; includeSubDomains" if include_subdomains else "")


def register(app: Flask) -> None:
    production = app.config.get("ELEARN_ENV") == "production"
    hsts = strict_transport_security(app.config["HSTS_INCLUDE_SUBDOMAINS"])

    @app.before_request
    def refuse_nul_characters() -> None:
        # No field of this app takes a NUL; PostgreSQL cannot store one in text, so refuse it
        # here, for every path, form, query string and uploaded file's name, rather than fail deep
        # in a query.
        values = [value for _key, values in request.values.lists() for value in values]
        names = [upload.filename or "" for upload in request.files.values()]
        if any("\x00" in text for text in (request.path, *values, *names)):
            abort(400)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if production:
            headers.setdefault("Strict-Transport-Security", hsts)
        # Training records and personal pages must not linger in shared or browser caches.
        # is_anonymous, not is_authenticated: that reads the employee again after a commit.
        if request.endpoint != "static" and not current_user.is_anonymous:
            headers["Cache-Control"] = "no-store"
        return response
