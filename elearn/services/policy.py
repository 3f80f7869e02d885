"""The organisation's content settings and policy, as the web app uses them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ..content import ContentSettings, SettingsInvalid, default_settings, settings_of


def content_root() -> Path:
    return Path(current_app.config["CONTENT_ROOT"])


def content_settings() -> ContentSettings:
    """The settings of the configured content root (the shipped ones while its own cannot be read).

    The parsed settings are cached by the files' content in the content package, so a page pays
    for reading two small files, not for parsing them.
    """
    try:
        return settings_of(content_root())
    except SettingsInvalid:
        # `content check` and `content sync` report the problems; pages keep working meanwhile.
        return default_settings()


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
