"""URL converters: an id in a path is a number the database can hold, or the page does not exist."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# The largest INTEGER PostgreSQL stores (SQLite's is larger): ids beyond it name nothing, and passed
# on to the database they fail there (out of range) instead of finding nothing.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` that matches only up to MAX_ID: a larger number is a 404, as for any unknown id."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
