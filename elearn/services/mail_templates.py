"""HR's mail templates, one per kind: subject and body with placeholders, every change a new version."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from ..database import transaction
from ..extensions import db
from ..models import AuditAction, MailKind, MailTemplate
from . import audit

PLACEHOLDERS = ("氏名", "コース", "期限", "状態", "URL")
_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")
FOOTER = "このメールは送信専用のアドレスから送っています。返信はできません。\n研修担当・人事担当\n"

DEFAULTS: dict[MailKind, tuple[str, str]] = {
    MailKind.INVITATION: (
        "【研修のご案内】{コース}",
        "{氏名} 様\n\n次の研修が割り当てられました。受講期限までに受講してください。\n\n"
        "コース: {コース}\n受講期限: {期限}\n現在の状況: {状態}\n\nマイ研修: {URL}\n\n" + FOOTER,
    ),
    MailKind.BEFORE_DUE: (
        "【受講期限が近づいています】{コース}（{期限}まで）",
        "{氏名} 様\n\n次の研修の受講期限が近づいています。期限までに修了してください。\n\n"
        "コース: {コース}\n受講期限: {期限}\n現在の状況: {状態}\n\nマイ研修: {URL}\n\n" + FOOTER,
    ),
    MailKind.OVERDUE: (
        "【受講期限を過ぎています】{コース}",
        "{氏名} 様\n\n次の研修の受講期限を過ぎていますが、まだ修了していません。"
        "速やかに受講してください。\n\n"
        "コース: {コース}\n受講期限: {期限}\n現在の状況: {状態}\n\nマイ研修: {URL}\n\n" + FOOTER,
    ),
    MailKind.FROM_MANAGER: (
        "【所属長からのお願い】{コース}の受講について",
        "{氏名} 様\n\n所属長から、次の研修の受講をお願いします。\n\n"
        "コース: {コース}\n受講期限: {期限}\n現在の状況: {状態}\n\nマイ研修: {URL}\n\n" + FOOTER,
    ),
}

SAMPLE = {
    "氏名": "市民 花子",
    "コース": "カスタマー・ハラスメント対策の基本",
    "期限": "令和8年9月30日",
    "状態": "未受講",
    "URL": "https://elearn.example.jp/",
}


@dataclass(frozen=True)
class Template:
    kind: MailKind
    version: int  # 0: the built-in text, never edited
    subject: str
    body: str

    def render(self, values: Mapping[str, str]) -> tuple[str, str]:
        """Subject and body with the placeholders filled; other text, braces included, stays as written."""
        return fill(self.subject, values), fill(self.body, values)


def fill(text: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders a template uses that no mail fills (a typo would reach every employee as written)."""
    return [f"{{{name}}}" for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]


def current_template(kind: MailKind) -> Template:
    """HR's latest version of the kind, or the built-in text."""
    row = db.session.scalars(
        select(MailTemplate).where(MailTemplate.kind == kind.value).order_by(MailTemplate.version.desc())
    ).first()
    if row is None:
        subject, body = DEFAULTS[kind]
        return Template(kind, 0, subject, body)
    return Template(kind, row.version, row.subject, row.body)


def template_history(kind: MailKind) -> list[MailTemplate]:
    return list(
        db.session.scalars(
            select(MailTemplate).where(MailTemplate.kind == kind.value).order_by(MailTemplate.version.desc())
        )
    )


def save_template(actor: audit.Actor, kind: MailKind, subject: str, body: str) -> Template:
    """Add a version of the kind's template (earlier ones are kept), audited in the same transaction."""
    with transaction():
        latest = db.session.scalar(
            select(func.max(MailTemplate.version)).where(MailTemplate.kind == kind.value)
        )
        version = (latest or 0) + 1
        db.session.add(
            MailTemplate(
                kind=kind.value, version=version, subject=subject, body=body, created_by_id=actor.employee_id
            )
        )
        audit.record(
            actor,
            AuditAction.MAIL_TEMPLATE,
            f"メール文面「{kind.japanese}」を第{version}版に変更しました",
            kind=kind.value,
            version=version,
        )
    return Template(kind, version, subject, body)
