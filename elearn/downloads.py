"""Reports sent to the browser as file downloads, only for requests made from this site's own pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps
from typing import ParamSpec, Protocol, TypeVar
from urllib.parse import urlsplit

from flask import Response, abort, current_app, request, stream_with_context


class Downloadable(Protocol):
    """A report or an archive: a file name, a type and its bytes in chunks."""

    @property
    def filename(self) -> str: ...

    @property
    def mimetype(self) -> str: ...

    def chunks(self) -> Iterator[bytes]: ...


P = ParamSpec("P")
R = TypeVar("R")


def download(export: Downloadable) -> Response:
    """The export as a streamed attachment, never cached."""
    response = Response(stream_with_context(export.chunks()), mimetype=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def same_site_only(view: Callable[P, R]) -> Callable[P, R]:
    """403 for a download another site made the browser ask for (a link or an image on a page
    elsewhere): downloading writes the audit trail, which such a request must not fill with
    「人事担当が…をダウンロード」 that HR never did. Checked before the view writes anything."""

    @wraps(view)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        if _from_another_site():
            abort(403)
        return view(*args, **kwargs)

    return checked


def _from_another_site() -> bool:
    # Browsers say where a request comes from in Sec-Fetch-Site ("none": typed, or a bookmark);
    # older ones only in Origin (and not on every GET). Without either, nothing says so: curl, tests.
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and origin not in _own_origins()


def _own_origins() -> set[str]:
    origins = {request.host_url.rstrip("/")}
    if base := current_app.config.get("BASE_URL"):
        parts = urlsplit(base)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins
