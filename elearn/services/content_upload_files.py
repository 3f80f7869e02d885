"""What a trainer uploads on /author/, read into {content-root-relative path: text} without
touching the disk: one Markdown file, or a ZIP of a course folder or of the repository layout.

Nothing here trusts the upload: a ZIP's entry names are checked before anything is read, every
entry is read with a cap whatever its header claims (a zip bomb declares small sizes), and the
text must be UTF-8. Refusals are one Japanese sentence (UploadRefused), shown as they are.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..content import COURSE_FILE

# The whole content of this city (3 courses, 17 files of scenarios) is about 600 KB of Markdown and
# 200 KB zipped: 5 MB leaves room for a bigger city and stops a mistaken upload of a video or an
# installer before it is opened at all.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A course has about ten files and the repository about fifty; a thousand entries is no content set.
MAX_ZIP_ENTRIES = 1000
# The largest file (a bank of 40 scenarios) is about 60 KB: 1 MB per entry and 20 MB in all are far
# above real content and low enough that a bomb stops after 20 MB of memory, not gigabytes.
MAX_ENTRY_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024

CONTENT_FOLDERS = ("courses", "quizzes")
_DRIVE = re.compile(r"^[A-Za-z]:")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UploadRefused(Exception):
    """The upload cannot be taken: the message says why, in Japanese, for the trainer."""


@dataclass
class ReceivedFiles:
    files: dict[str, str] = field(default_factory=dict)  # content-root-relative path -> text
    ignored: list[str] = field(default_factory=list)  # entries not taken (not Markdown), as named


def decode(name: str, data: bytes) -> str:
    """UTF-8 with or without BOM, any line ending (CRLF as Notepad saves, CR) turned into LF."""
    if data.startswith(_UTF16_BOMS):
        raise UploadRefused(f"{name}: UTF-16 では読めません。UTF-8 で保存し直してください。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UploadRefused(
            f"{name}:{line}: UTF-8 として読めません。文字コードを UTF-8 にして保存し直してください。"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_upload(filename: str, data: bytes, course: str | None = None) -> ReceivedFiles:
    """The files of an upload named ``filename`` (as the browser sent it).

    A lesson or course.md goes into the course folder ``course``; a bank or self-check into quizzes/.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(f"ファイルが大きすぎます（{MAX_UPLOAD_BYTES // (1024 * 1024)} MB まで）。")
    name = PurePosixPath(filename.replace("\\", "/")).name
    lowered = name.lower()
    if lowered.endswith(".zip"):
        return _read_zip(data)
    if lowered.endswith(".md"):
        text = decode(name, data)
        return ReceivedFiles({_single_file_path(name, text, course): text})
    raise UploadRefused(
        "Markdown（.md）のファイルか、コースのフォルダを ZIP にしたもの（.zip）を選んでください。"
    )


def _single_file_path(name: str, text: str, course: str | None) -> str:
    if _safe_name(name) is None:
        raise UploadRefused(f"{name}: ファイル名に使えない文字があります。")
    if name != COURSE_FILE and _kind(text) in ("scenarios", "self-check"):
        return f"quizzes/{name}"
    if not course:
        raise UploadRefused(f"{name}: レッスンと {COURSE_FILE} は、どのコースのものかを選んでください。")
    return f"courses/{course}/{name}"


def _kind(text: str) -> str | None:
    """The ``kind:`` of the front matter, as far as a line says it (the checker reads it properly)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if line.startswith("kind:"):
            return line.removeprefix("kind:").strip().strip("'\"")
    return None


def _safe_name(name: str) -> PurePosixPath | None:
    """The entry name as a relative path, or None when it could reach outside the content folder."""
    if not name or "\\" in name or name.startswith("/") or _DRIVE.match(name) or "\x00" in name:
        return None
    path = PurePosixPath(name)
    if any(part in ("..", "") for part in path.parts):
        return None
    return path


def _ignored(path: PurePosixPath) -> bool:
    """Folders and files the archivers add (macOS resource forks, .DS_Store, .git): never content."""
    return path.parts[0] == "__MACOSX" or any(part.startswith(".") for part in path.parts)


UTF8_NAME_FLAG = 0x800  # general purpose bit 11: the entry's name is UTF-8


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as the archiver wrote it. Without the UTF-8 flag, zipfile reads a name as
    CP437, but Japanese Windows (Explorer's 送る → 圧縮フォルダー, older Lhaplus) writes CP932 there
    and other tools UTF-8: the name is read back as the first of the two that fits."""
    if info.flag_bits & UTF8_NAME_FLAG:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _entries(archive: zipfile.ZipFile) -> list[tuple[PurePosixPath, zipfile.ZipInfo]]:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UploadRefused(f"ZIP の中のファイルが多すぎます（{MAX_ZIP_ENTRIES} 個まで）。")
    seen: set[str] = set()
    entries = []
    for info in infos:
        name = _entry_name(info)
        path = _safe_name(name.rstrip("/") if info.is_dir() else name)
        if path is None:
            raise UploadRefused(f"ZIP の中に、フォルダの外を指す名前があります: {name}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadRefused(f"ZIP の中にシンボリックリンクがあります: {name}")
        if name in seen:
            raise UploadRefused(f"ZIP の中に同じ名前のファイルが二つあります: {name}")
        seen.add(name)
        if not info.is_dir() and not _ignored(path):
            entries.append((path, info))
    return entries


def _read_zip(data: bytes) -> ReceivedFiles:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = _entries(archive)
            layout = _layout([path for path, _info in entries])
            received, total = ReceivedFiles(), 0
            for path, info in entries:
                target = layout(path)
                if target is None or path.suffix.lower() != ".md":
                    received.ignored.append(str(path))
                    continue
                content = _read_capped(archive, info, path)
                total += len(content)
                if total > MAX_TOTAL_BYTES:
                    raise UploadRefused(
                        f"ZIP を展開すると大きすぎます（{MAX_TOTAL_BYTES // (1024 * 1024)} MB まで）。"
                    )
                received.files[target] = decode(str(path), content)
    except (zipfile.BadZipFile, EOFError):
        raise UploadRefused("ZIP ファイルとして読めません（壊れているか、ZIP ではありません）。") from None
    except (RuntimeError, NotImplementedError):  # encrypted entries, unknown compression
        raise UploadRefused("パスワード付きの ZIP や、この形式の圧縮は読めません。") from None
    if not received.files:
        raise UploadRefused("ZIP の中に Markdown（.md）のファイルがありません。")
    return received


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: PurePosixPath) -> bytes:
    """The entry's bytes, never more than MAX_ENTRY_BYTES + 1 of them, whatever its header says."""
    with archive.open(info) as entry:
        content = entry.read(MAX_ENTRY_BYTES + 1)
    if len(content) > MAX_ENTRY_BYTES:
        raise UploadRefused(f"{path}: 大きすぎます（1 ファイル {MAX_ENTRY_BYTES // 1024} KB まで）。")
    return content


def _layout(paths: list[PurePosixPath]):
    """Where each entry goes: the repository layout (courses/…, quizzes/…, perhaps under one
    wrapping folder as downloads of a repository have), or one course folder ``<key>/course.md``."""
    tops = {path.parts[0] for path in paths}
    wrapped = len(tops) == 1 and not tops & set(CONTENT_FOLDERS)

    def repository(path: PurePosixPath) -> str | None:
        parts = path.parts[1:] if wrapped else path.parts
        return "/".join(parts) if len(parts) > 1 and parts[0] in CONTENT_FOLDERS else None

    if any(repository(path) for path in paths):
        return repository
    folders = {path.parts[0] for path in paths if len(path.parts) == 2 and path.name == COURSE_FILE}
    if len(folders) == 1:
        [folder] = folders
        return lambda path: f"courses/{path}" if len(path.parts) == 2 and path.parts[0] == folder else None
    raise UploadRefused(
        f"ZIP の中身の形が分かりません。コースのフォルダ（<コース>/{COURSE_FILE} とレッスン）か、"
        "courses/・quizzes/ のフォルダを ZIP にしてください。"
    )
