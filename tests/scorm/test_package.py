"""The package is a SCORM 1.2 content package: a valid manifest listing every file, links that all
resolve inside it, nothing from another host, Japanese in UTF-8."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from elearn.content import DrawError
from elearn.scorm import PackageLesson
from elearn.scorm.manifest import ADLCP, IMSCP, NAMESPACES
from tests.scorm.package_check import PAGES, URL, Links, broken_links, manifest, plan_html, q
from tests.scorm.packages import files, package_course


@pytest.fixture(scope="module")
def package() -> dict[str, bytes]:
    return files()


def test_the_manifest_is_at_the_root_and_declares_scorm_1_2(package):
    root = manifest(package)
    assert next(iter(package)) == "imsmanifest.xml"
    assert root.tag == q("manifest")
    assert root.findtext(f"{q('metadata')}/{q('schema')}") == "ADL SCORM"
    assert root.findtext(f"{q('metadata')}/{q('schemaversion')}") == "1.2"
    text = package["imsmanifest.xml"].decode("utf-8")
    assert f'xmlns="{IMSCP}"' in text and f'xmlns:adlcp="{ADLCP}"' in text


def test_one_organization_with_one_item_launches_the_one_sco(package):
    root = manifest(package)
    organizations = root.find(q("organizations"))
    [organization] = organizations.findall(q("organization"))
    assert organizations.get("default") == organization.get("identifier")
    [item] = organization.findall(q("item"))
    [resource] = root.find(q("resources")).findall(q("resource"))
    assert item.get("identifierref") == resource.get("identifier")
    assert resource.get(q("scormtype", ADLCP)) == "sco" and resource.get("type") == "webcontent"
    assert resource.get("href") == "index.html"
    assert item.findtext(q("masteryscore", ADLCP)) == "80"


def test_identifiers_are_unique_xml_names(package):
    identifiers = [e.get("identifier") for e in manifest(package).iter() if e.get("identifier")]
    assert len(identifiers) == 4
    assert [i for i, n in Counter(identifiers).items() if n > 1] == []
    assert all(i[0].isalpha() and ":" not in i and " " not in i for i in identifiers)


def test_every_file_is_listed_in_the_resource_and_every_listed_file_exists(package):
    [resource] = manifest(package).find(q("resources")).findall(q("resource"))
    listed = [f.get("href") for f in resource.findall(q("file"))]
    assert sorted(listed) == sorted(set(package) - {"imsmanifest.xml"})
    assert resource.get("href") in listed


def test_every_link_of_every_page_resolves_inside_the_package(package):
    assert broken_links(package) == []
    index = Links(package["index.html"].decode("utf-8"))
    assert {"css/elearn.css", "css/scorm.css", "elearn-scorm.js"} <= set(index.links)
    clause_links = [link for link in index.links if link.startswith("policy.html#clause-")]
    assert len(clause_links) > 20, "the lessons' clause references lead to the package's policy page"
    assert any("policy.html#clause-" in snippet for snippet in plan_html(package))


def test_no_file_names_another_host(package):
    found = {
        path: [
            url
            for url in URL.findall(data.decode("utf-8"))
            if not (path == "imsmanifest.xml" and url in NAMESPACES)
        ]
        for path, data in package.items()
    }
    assert {path: urls for path, urls in found.items() if urls} == {}


def test_japanese_titles_in_utf_8_from_the_course(package):
    course = package_course()
    assert package["imsmanifest.xml"].startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert (
        manifest(package).find(f"{q('organizations')}/{q('organization')}").findtext(q("title"))
        == course.title
    )
    index = package["index.html"].decode("utf-8")
    assert '<html lang="ja">' in index and '<meta charset="utf-8">' in index
    assert f"<title>{course.title}</title>" in index
    assert "基本方針" in package["policy.html"].decode("utf-8")
    for data in package.values():
        data.decode("utf-8")  # every file of the package is text, all of it UTF-8


def test_every_lesson_is_on_the_launch_page_in_order(package):
    index = package["index.html"].decode("utf-8")
    positions = [index.index(f'id="lesson-{lesson.slug}"') for lesson in package_course().lessons]
    assert positions == sorted(positions) and len(positions) == 9


def test_links_to_the_app_or_another_host_lose_their_target_and_keep_their_text():
    lesson = PackageLesson(
        "01-extra",
        "外部リンク",
        '<p><a href="https://example.org/guide">手引</a>と<a href="/courses/x">アプリ</a>と'
        '<a href="02-teigi">次</a>と<a href="/policy#clause-2-1">第2(1)</a></p>',
    )
    course = package_course()
    built = files(replace(course, lessons=(lesson, *course.lessons)))
    section = built["index.html"].decode("utf-8").split('id="lesson-01-extra"')[1].split("</section>")[0]
    assert "example.org" not in section and "/courses/x" not in section
    assert "手引" in section and "アプリ" in section
    assert 'href="#lesson-02-teigi"' in section and 'href="policy.html#clause-2-1"' in section
    assert broken_links(built) == []


def test_a_course_whose_quiz_cannot_be_drawn_is_not_packaged():
    impossible = package_course(quiz_rules={"questions": 3, "pool": {}, "minimum": {}, "fixed": ["no-such"]})
    with pytest.raises(DrawError, match="no-such"):
        files(impossible)


def test_the_pages_are_the_only_html_and_the_script_is_one_plain_file(package):
    assert sorted(p for p in package if p.endswith(".html")) == sorted(PAGES)
    assert [p for p in package if p.endswith(".js")] == ["elearn-scorm.js"]
    script = package["elearn-scorm.js"].decode("utf-8")
    assert "import " not in script and "require(" not in script and "fetch(" not in script
