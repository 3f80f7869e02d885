"""WSGI entry point for production servers, e.g. `gunicorn wsgi:app`."""

from elearn import create_app

app = create_app()
