"""The organisation's content settings and policy, as the web app uses them.

The policy learners read is the one synced into the database (PolicyVersion), so that what they
read is what the synced courses and scenarios were written against, and an older text stays
readable. A record (a course version, an attempt) is tied to the policy by time: the version
current when it was made is the latest one synced at or before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import bindparam, select

from ..content import (
    ContentSettings,
    Policy,
    SettingsInvalid,
    default_settings,
    policy_from_data,
    settings_of,
)
from ..extensions import db
from ..models import PolicyVersion

# Parsed policies by content hash: a stored version never changes, and there are few of them.
_parsed: dict[str, Policy] = {}


def content_root() -> Path:
    return Path(current_app.config["CONTENT_ROOT"])


def _files_stamp(root: Path) -> tuple:
    """What changes when the settings or policy files change: their sizes and modification times."""
    folder = root / "policy"
    try:
        stats = [(path.name, path.stat()) for path in sorted(folder.iterdir())]
    except OSError:
        return ()
    return tuple((name, stat.st_mtime_ns, stat.st_size) for name, stat in stats)


def content_settings() -> ContentSettings:
    """The settings of the configured content root (the shipped ones while its own cannot be read).

    Every page asks (the site's names are in its header), so they are kept per process and read
    again only when a file in ``policy/`` changed; equal text parses to the same object anyway.
    """
    root = content_root()
    stamp = _files_stamp(root)
    kept = current_app.extensions.setdefault("elearn.content_settings", {})
    if kept.get(root, (None,))[0] != stamp:
        try:
            settings = settings_of(root)
        except SettingsInvalid:
            # `content check` and `content sync` report the problems; pages keep working meanwhile.
            settings = default_settings()
        kept[root] = (stamp, settings)
    return kept[root][1]


def policy_versions() -> list[PolicyVersion]:
    """Every synced version, the newest first."""
    return list(db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.version.desc())))


def current_policy_version() -> PolicyVersion | None:
    return db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1)).first()


def policy_version(number: int) -> PolicyVersion | None:
    return db.session.scalars(select(PolicyVersion).where(PolicyVersion.version == number)).first()


# Built once per process: every lesson and result page cites the policy version of its day.
_POLICY_AT = (
    select(PolicyVersion)
    .where(PolicyVersion.synced_at <= bindparam("when"))
    .order_by(PolicyVersion.version.desc())
    .limit(1)
)


def policy_version_at(when: datetime) -> PolicyVersion | None:
    """The version current at ``when``; for a record older than every version (made before policy
    versions were kept), the first one."""
    at = db.session.scalars(_POLICY_AT, {"when": when}).first()
    return at or db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.version).limit(1)).first()


def policy_of(version: PolicyVersion | None) -> Policy:
    """The parsed text of a stored version; the content's own before the first sync."""
    if version is None:
        return content_settings().policy
    if version.content_hash not in _parsed:
        _parsed[version.content_hash] = policy_from_data(version.parsed)
    return _parsed[version.content_hash]


@dataclass(frozen=True)
class Site:
    """Who runs this site, as every page and the certificate name it."""

    title: str
    organisation: str
    certificate_issuer: str
    support_contact: str


def site(language: str = "ja") -> Site:
    """The site's names for pages in ``language``: the content settings, each overridable in the
    configuration (ELEARN_SITE_TITLE, …)."""
    settings = content_settings()
    config = current_app.config
    title = settings.site_title_en if language == "en" and settings.site_title_en else settings.site_title
    return Site(
        title=config.get("SITE_TITLE") or title,
        organisation=config.get("ORGANISATION_NAME") or settings.organisation,
        certificate_issuer=config.get("CERTIFICATE_ISSUER") or settings.certificate_issuer,
        support_contact=config.get("SUPPORT_CONTACT") or settings.support_contact,
    )
