"""imsmanifest.xml for SCORM 1.2: one organization, one item, one SCO resource listing every file."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterable

from .course import PackageCourse

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
# The namespaces are names, not addresses: nothing is loaded from them. No xsi:schemaLocation, which
# would point validators at schema files that a package may carry but LMSs do not need.
NAMESPACES = (IMSCP, ADLCP)
LAUNCH_PAGE = "index.html"

etree.register_namespace("", IMSCP)
etree.register_namespace("adlcp", ADLCP)


def _element(parent: etree.Element, tag: str, text: str | None = None, **attributes: str) -> etree.Element:
    element = etree.SubElement(parent, tag, attributes)
    element.text = text
    return element


def manifest_xml(course: PackageCourse, files: Iterable[str]) -> bytes:
    """The manifest of a package holding ``files`` (paths inside the package, launch page among them)."""
    ident = course.package_id
    root = etree.Element(f"{{{IMSCP}}}manifest", {"identifier": ident, "version": str(course.version)})
    metadata = _element(root, f"{{{IMSCP}}}metadata")
    _element(metadata, f"{{{IMSCP}}}schema", "ADL SCORM")
    _element(metadata, f"{{{IMSCP}}}schemaversion", "1.2")
    organizations = _element(root, f"{{{IMSCP}}}organizations", default=f"{ident}-org")
    organization = _element(organizations, f"{{{IMSCP}}}organization", identifier=f"{ident}-org")
    _element(organization, f"{{{IMSCP}}}title", course.title)
    item = _element(
        organization,
        f"{{{IMSCP}}}item",
        identifier=f"{ident}-item",
        identifierref=f"{ident}-sco",
        isvisible="true",
    )
    _element(item, f"{{{IMSCP}}}title", course.title)
    # The LMS may judge passed/failed itself from the score; the package sets the same verdict.
    _element(item, f"{{{ADLCP}}}masteryscore", str(course.pass_mark))
    resources = _element(root, f"{{{IMSCP}}}resources")
    resource = _element(
        resources,
        f"{{{IMSCP}}}resource",
        identifier=f"{ident}-sco",
        type="webcontent",
        href=LAUNCH_PAGE,
        **{f"{{{ADLCP}}}scormtype": "sco"},
    )
    for path in files:
        _element(resource, f"{{{IMSCP}}}file", href=path)
    etree.indent(root)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
