"""Reports sent to the browser as file downloads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from flask import Response, stream_with_context


class Downloadable(Protocol):
    """A report or an archive: a file name, a type and its bytes in chunks."""

    @property
    def filename(self) -> str: ...

    @property
    def mimetype(self) -> str: ...

    def chunks(self) -> Iterator[bytes]: ...


def download(export: Downloadable) -> Response:
    """The export as a streamed attachment, never cached."""
    response = Response(stream_with_context(export.chunks()), mimetype=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
