"""Error pages: a clear page in Japanese for every client error, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db


def _messages() -> dict[int, str]:
    return {
        400: _("リクエストの内容が正しくありません。"),
        403: _("このページを表示する権限がありません。"),
        404: _("ページが見つかりません。"),
        405: _("この操作はできません。"),
        413: _("ファイルが大きすぎます。"),
        500: _("サーバーでエラーが発生しました。時間をおいてもう一度お試しください。"),
    }


def _render(code: int, message: str | None = None):
    text = message or _messages().get(code) or _("エラーが発生しました。")
    return render_template("errors/error.html", code=code, message=text), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(
            400,
            _(
                "フォームの有効期限が切れたか、送信内容が正しくありません。ページを読み込み直してから、もう一度お試しください。"
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error.code or 500)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        db.session.rollback()
        try:
            return _render(500)
        except Exception:  # the page itself failed: still no traceback for the user
            app.logger.exception("error page failed")
            return "500 Internal Server Error", 500, {"Content-Type": "text/plain; charset=utf-8"}
