"""`read_upload`: a Markdown file or a ZIP read into content-root paths, refusing what could reach
outside the content folder or exhaust the server (zip bombs, too many entries)."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from elearn.services import content_upload_files
from elearn.services.content_upload_files import UploadRefused, read_upload
from tests.content.tree import bank, scenario

BANK = bank(scenario("upload-01"))
LESSON = "---\ntitle: 新しいレッスン\n---\n\n本文です。\n"
COURSE = "---\nid: kanri\ntitle: 管理監督者の対応\n---\n\n紹介。\n"


def zipped(*entries: tuple[str, str | bytes], mode: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name)
            if mode is not None:
                info.external_attr = mode << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def test_a_bank_file_goes_to_quizzes():
    assert read_upload("my-bank.md", BANK.encode()).files == {"quizzes/my-bank.md": BANK}


def test_a_bom_and_crlf_as_notepad_saves_are_read_as_plain_utf8():
    data = b"\xef\xbb\xbf" + BANK.replace("\n", "\r\n").encode()
    assert read_upload("bank.md", data).files == {"quizzes/bank.md": BANK}


def test_old_mac_line_endings_are_normalised():
    assert read_upload("bank.md", BANK.replace("\n", "\r").encode()).files["quizzes/bank.md"] == BANK


def test_shift_jis_is_refused_with_one_message_at_its_line():
    data = ("---\nkind: scenarios\ntitle: 問題集\n---\n").encode("cp932")
    with pytest.raises(UploadRefused, match=r"bank\.md:3: UTF-8 として読めません"):
        read_upload("bank.md", data)


def test_utf16_is_refused():
    with pytest.raises(UploadRefused, match="UTF-16"):
        read_upload("bank.md", BANK.encode("utf-16"))


def test_a_lesson_goes_into_the_course_chosen():
    assert read_upload("08-new.md", LESSON.encode(), "kanri").files == {"courses/kanri/08-new.md": LESSON}


def test_a_lesson_without_a_course_is_refused():
    with pytest.raises(UploadRefused, match="どのコースのもの"):
        read_upload("08-new.md", LESSON.encode())


def test_other_kinds_of_file_are_refused():
    with pytest.raises(UploadRefused, match=r"\.md"):
        read_upload("slides.pptx", b"PK")


def test_a_zip_of_a_course_folder_goes_under_courses():
    data = zipped(("kanri/course.md", COURSE), ("kanri/01-a.md", LESSON), ("kanri/notes.txt", "x"))
    received = read_upload("kanri.zip", data)
    assert received.files == {"courses/kanri/course.md": COURSE, "courses/kanri/01-a.md": LESSON}
    assert received.ignored == ["kanri/notes.txt"]


def zipped_without_utf8_flag(name: str, encoding: str, content: str) -> bytes:
    """A ZIP whose one entry's name is in ``encoding`` with no UTF-8 flag, as Japanese Windows
    writes them: zipfile would flag a non-ASCII name, so an ASCII one of the same length is
    written and its bytes replaced (the name is outside the CRC)."""
    raw = name.encode(encoding)
    placeholder = "x" * len(raw)
    data = zipped((placeholder, content))
    assert data.count(placeholder.encode()) == 2  # the local header and the central directory
    return data.replace(placeholder.encode(), raw)


@pytest.mark.parametrize("encoding", ["cp932", "utf-8"])
def test_japanese_names_without_the_utf8_flag_are_read_as_written(encoding):
    data = zipped_without_utf8_flag("quizzes/窓口対応.md", encoding, BANK)
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x800 == 0
    assert read_upload("名前.zip", data).files == {"quizzes/窓口対応.md": BANK}


def test_a_zip_of_the_repository_layout_keeps_its_paths_and_ignores_the_rest():
    data = zipped(
        ("content/courses/kanri/course.md", COURSE),
        ("content/quizzes/a.md", BANK),
        ("content/README.md", "# readme"),
        ("__MACOSX/content/._a.md", "junk"),
        ("content/.DS_Store", "junk"),
    )
    received = read_upload("content.zip", data)
    assert received.files == {"courses/kanri/course.md": COURSE, "quizzes/a.md": BANK}
    assert received.ignored == ["content/README.md"]


@pytest.mark.parametrize(
    "name", ["../quizzes/a.md", "quizzes/../../etc/a.md", "/etc/a.md", "C:/quizzes/a.md", "quizzes\\a.md"]
)
def test_entries_that_point_outside_the_folder_are_refused(name):
    with pytest.raises(UploadRefused, match="フォルダの外を指す名前"):
        read_upload("bad.zip", zipped((name, BANK)))


def test_symlink_entries_are_refused():
    data = zipped(("quizzes/a.md", "/etc/passwd"), mode=stat.S_IFLNK | 0o777)
    with pytest.raises(UploadRefused, match="シンボリックリンク"):
        read_upload("link.zip", data)


def test_duplicate_names_are_refused():
    buffer = io.BytesIO()
    with pytest.warns(UserWarning), zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("quizzes/a.md", BANK)
        archive.writestr("quizzes/a.md", BANK)
    with pytest.raises(UploadRefused, match="同じ名前"):
        read_upload("dup.zip", buffer.getvalue())


def test_a_zip_bomb_stops_at_the_entry_cap(monkeypatch):
    monkeypatch.setattr(content_upload_files, "MAX_ENTRY_BYTES", 1000)
    with pytest.raises(UploadRefused, match="大きすぎます"):
        read_upload("bomb.zip", zipped(("quizzes/a.md", "a" * 100_000)))


def test_a_header_that_lies_about_the_size_does_not_lift_the_cap(monkeypatch):
    monkeypatch.setattr(content_upload_files, "MAX_ENTRY_BYTES", 1000)
    data = bytearray(zipped(("quizzes/a.md", "a" * 100_000)))
    # Claim 10 bytes uncompressed in the central directory: reading must still stop at the cap.
    directory = data.rindex(b"PK\x01\x02")
    data[directory + 24 : directory + 28] = (10).to_bytes(4, "little")
    with pytest.raises(UploadRefused):
        read_upload("liar.zip", bytes(data))


def test_too_much_in_all_is_refused(monkeypatch):
    monkeypatch.setattr(content_upload_files, "MAX_TOTAL_BYTES", 1500)
    entries = [(f"quizzes/{n}.md", BANK) for n in range(3)]
    with pytest.raises(UploadRefused, match="展開すると大きすぎます"):
        read_upload("big.zip", zipped(*entries))


def test_too_many_entries_are_refused(monkeypatch):
    monkeypatch.setattr(content_upload_files, "MAX_ZIP_ENTRIES", 3)
    entries = [(f"quizzes/{n}.md", BANK) for n in range(4)]
    with pytest.raises(UploadRefused, match="多すぎます"):
        read_upload("many.zip", zipped(*entries))


def test_an_upload_over_the_size_limit_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(content_upload_files, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(UploadRefused, match="大きすぎます"):
        read_upload("bank.md", BANK.encode())


def test_a_broken_zip_is_refused():
    with pytest.raises(UploadRefused, match="ZIP ファイルとして読めません"):
        read_upload("broken.zip", b"PK\x03\x04 not really")


def test_a_zip_without_a_recognisable_layout_is_refused():
    with pytest.raises(UploadRefused, match="形が分かりません"):
        read_upload("odd.zip", zipped(("a.md", BANK), ("b/c.md", BANK)))
