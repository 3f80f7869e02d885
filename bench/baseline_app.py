"""The plain-Flask limit the app is measured against: the least a Flask app on the same server and
database does.

Served by gunicorn exactly like the app (``gunicorn bench.baseline_app:app``) on the same database
(DATABASE_URL), by bench/server_bench.py:

- ``GET /page?bytes=N``: one primary-key SELECT, then a Jinja template (a table of staff, like the
  app's pages) of about N bytes, so each page of the app is compared with a page of its own size;
- ``POST /write``: one INSERT in a transaction of its own, answered with a 303 like the app's forms.

No login, session, CSRF check or security headers: what the app spends on those is part of its cost.
"""

from __future__ import annotations

import os
from functools import cache

from flask import Flask, redirect, render_template, request
from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, String, Table, create_engine, func, select
from sqlalchemy.engine import make_url

metadata = MetaData()
baseline_writes = Table(
    "bench_baseline_writes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("written_at", DateTime(timezone=True), nullable=False),
    Column("note", String(100), nullable=False),
)
employees = Table("employees", metadata, Column("id", Integer, primary_key=True), Column("name", String(100)))
ROW = {"no": "0001234", "name": "佐藤 健太", "department": "福祉保健部 介護福祉課", "status": "修了"}


def connect(url: str) -> Engine:
    """An engine as the app's: WAL and a busy timeout on SQLite, a pool checked before use."""
    engine = create_engine(url, pool_pre_ping=True)
    if make_url(url).get_backend_name() == "sqlite":
        from sqlalchemy import event

        from elearn.database import configure_sqlite

        event.listen(engine, "connect", configure_sqlite)
    return engine


def create_table(url: str) -> None:
    """The table that the write endpoint inserts into (created once, before the server starts)."""
    engine = connect(url)
    metadata.create_all(engine, tables=[baseline_writes])
    engine.dispose()


def create_baseline_app(url: str) -> Flask:
    app = Flask(__name__)
    engine = connect(url)

    @cache
    def rows_for(size: int) -> list[dict[str, str]]:
        """As many table rows as make the page about ``size`` bytes long."""
        empty = len(render_template("baseline.html", employee="", rows=[]).encode())
        one_row = len(render_template("baseline.html", employee="", rows=[ROW]).encode()) - empty
        return [ROW] * max(0, (size - empty) // one_row)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/page")
    def page():
        size = request.args.get("bytes", 5000, type=int)
        with engine.connect() as connection:
            name = connection.execute(select(employees.c.name).where(employees.c.id == 1)).scalar()
        return render_template("baseline.html", employee=name, rows=rows_for(size))

    @app.post("/write")
    def write():
        with engine.begin() as connection:
            connection.execute(baseline_writes.insert().values(written_at=func.now(), note="baseline"))
        return redirect("/page", code=303)

    return app


app = create_baseline_app(os.environ.get("DATABASE_URL", "sqlite://"))
