"""Reports sent to the browser as file downloads."""

from __future__ import annotations

from flask import Response, stream_with_context

from .services.exports import Export


def download(export: Export) -> Response:
    """The export as a streamed attachment, never cached."""
    response = Response(stream_with_context(export.chunks()), mimetype=export.fmt.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
