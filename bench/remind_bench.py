"""`elearn remind send` for 10,000 due reminders against a local SMTP sink, against a bare smtplib loop.

Run with ``.venv/bin/python bench/remind_bench.py [--mails 10000]`` on a quiet machine. It prepares a
migrated SQLite database in a temporary folder with that many employees, each with one assignment due
in ten days (so the 14-days-before rule is due), and starts an SMTP sink (aiosmtpd, in a process of
its own) that accepts and drops every message. Each measurement runs in a fresh process on a fresh copy
of the database:

- the limit: the same messages, built beforehand by the app's own code, sent by a bare ``smtplib``
  loop over one connection;
- the app: ``send_due_reminders`` as ``elearn remind send`` calls it (plan, claim, send, record);
- the app again with a tenth of the mails, so that its peak memory (max RSS) can be compared: the
  target is memory flat in the number of mails, and a rate of at least half the limit.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAILS = 10_000
TARGET_RATIO = 0.5
SECRET = "benchmark-secret-key-that-is-long-enough"


def make_app(database: Path, port: int | None = None):
    from elearn import create_app

    config = {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    if port is not None:
        config |= {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "MAIL_FROM": "no-reply@city.example.jp",
                   "BASE_URL": "https://elearn.city.example.jp"}  # fmt: skip
    return create_app(config)


def prepare(database: Path, mails: int) -> None:
    """A migrated database with the project's content and ``mails`` employees due for a reminder."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from elearn.extensions import db
    from elearn.fiscal import current_fiscal_year
    from elearn.models import Assignment, Course, Department, Employee
    from elearn.services.deadlines import japan_today
    from elearn.services.sync import sync_content

    app = make_app(database)
    with app.app_context():
        logging.disable(logging.INFO)  # the migrations' progress lines
        upgrade()
        logging.disable(logging.NOTSET)
        sync_content(PROJECT_ROOT)
        department = Department(name="計測課")
        db.session.add(department)
        db.session.flush()
        db.session.execute(
            insert(Employee),
            [
                {
                    "employee_no": f"R{n:06d}",
                    "name": f"計測 {n}",
                    "department_id": department.id,
                    "role": "employee",
                    "email": f"r{n:06d}@city.example.jp",
                }
                for n in range(mails)
            ],
        )
        course_id = db.session.scalar(select(Course.id).where(Course.key == "kihon-houshin"))
        due = japan_today() + timedelta(days=10)
        year = current_fiscal_year()
        db.session.execute(
            insert(Assignment),
            [
                {"fiscal_year": year, "course_id": course_id, "employee_id": employee_id, "due_date": due}
                for employee_id in db.session.scalars(select(Employee.id))
            ],
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_app(database: Path, port: int) -> dict[str, float]:
    from flask import current_app

    from elearn.fiscal import current_fiscal_year
    from elearn.services.mailer import SmtpSettings
    from elearn.services.reminders import send_due_reminders

    app = make_app(database, port)
    with app.app_context():
        settings = SmtpSettings.of(current_app.config)
        start = time.perf_counter()
        result = send_due_reminders(current_fiscal_year(), settings)
        seconds = time.perf_counter() - start
    assert result.failed == 0 and result.server_down is None, result
    return {"seconds": seconds, "sent": result.sent, "peak_kib": peak_kib()}


def measure_bare(database: Path, port: int) -> dict[str, float]:
    """The same messages, built by the app's code before the clock starts, over one smtplib connection."""
    from flask import current_app

    from elearn.fiscal import current_fiscal_year
    from elearn.models import MailKind
    from elearn.services.mail_templates import current_template
    from elearn.services.mailer import SmtpSettings
    from elearn.services.reminders import compose, target_batches
    from elearn.services.reports import ReportFilter, course_titles

    app = make_app(database, port)
    with app.app_context():
        settings = SmtpSettings.of(current_app.config)
        template, titles = current_template(MailKind.BEFORE_DUE), course_titles()
        messages = [
            compose(target, template, titles[target.course_id], settings)
            for batch in target_batches(ReportFilter(current_fiscal_year()))
            for target in batch
        ]
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for mail in messages:
            smtp.sendmail(mail.sender, [mail.recipient], mail.data)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "sent": len(messages), "peak_kib": peak_kib()}


def run_sink() -> None:
    """An SMTP server that accepts every message and keeps nothing, until its standard input closes."""
    from aiosmtpd.controller import Controller

    class Drop:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    from tests.live_server import free_port

    port = free_port()
    controller = Controller(Drop(), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    sys.stdin.read()
    controller.stop()


def child(kind: str, database: Path, port: int) -> dict[str, float]:
    command = [sys.executable, __file__, kind, str(database), str(port)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT)
    if done.returncode != 0:
        sys.exit(f"{kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def markdown(mails: int, bare: dict, app: dict, small: dict, load: tuple[float, float, float]) -> str:
    bare_rate, app_rate = bare["sent"] / bare["seconds"], app["sent"] / app["seconds"]
    ratio = app_rate / bare_rate
    lines = [
        "| run | mails | seconds | mails/s | peak RSS (MiB) |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| bare smtplib loop, one connection (the limit) | {bare['sent']:,} | {bare['seconds']:.2f} "
        f"| {bare_rate:,.0f} | {bare['peak_kib'] / 1024:.0f} |",
        f"| `elearn remind send` | {app['sent']:,} | {app['seconds']:.2f} | {app_rate:,.0f} "
        f"| {app['peak_kib'] / 1024:.0f} |",
        f"| `elearn remind send`, a tenth of the mails | {small['sent']:,} | {small['seconds']:.2f} "
        f"| {small['sent'] / small['seconds']:,.0f} | {small['peak_kib'] / 1024:.0f} |",
        "",
        f"Rate against the limit: {ratio:.2f}× "
        f"(target ≥ {TARGET_RATIO}×: {'met' if ratio >= TARGET_RATIO else 'missed'}); "
        f"peak memory {app['peak_kib'] / 1024:.0f} MiB for {mails:,} mails against "
        f"{small['peak_kib'] / 1024:.0f} MiB for {small['sent']:,}. Load average before the run: "
        + " ".join(f"{x:.2f}" for x in load),
    ]
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "sink":
        run_sink()
        return 0
    if len(sys.argv) == 4 and sys.argv[1] in ("app", "bare"):
        measure = measure_app if sys.argv[1] == "app" else measure_bare
        print(json.dumps(measure(Path(sys.argv[2]), int(sys.argv[3]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=MAILS)
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        os.environ["ELEARN_INSTANCE_PATH"] = str(workdir / "instance")
        template, small_template = workdir / "template.db", workdir / "small.db"
        prepare(template, args.mails)
        prepare(small_template, max(args.mails // 10, 1))
        sink = subprocess.Popen(
            [sys.executable, __file__, "sink"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=PROJECT_ROOT,
        )  # fmt: skip
        try:
            port = int(sink.stdout.readline())
            figures = {}
            for kind, source in (("bare", template), ("app", template), ("small", small_template)):
                copy = workdir / f"run-{kind}.db"
                shutil.copy(source, copy)
                figures[kind] = child("app" if kind == "small" else kind, copy, port)
        finally:
            sink.stdin.close()
            sink.wait()
    print(markdown(args.mails, figures["bare"], figures["app"], figures["small"], load))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT_ROOT))
    sys.exit(main())
