"""The reliability tests run against a real multi-process server (tests/live_server.py)."""

from tests.live_server import live_server  # noqa: F401  (the fixture)
