"""Certificates as PDF: single certificates per second, and a year's archive of about 10,000 streamed.

Run with ``.venv/bin/python -m bench.certificate_bench [--employees 5000]``. A generated organisation
(bench/generate.py; three courses, about 70% completed) gives roughly two completions per employee. The
archive is written to /dev/null chunk by chunk, as the web download sends it; the peak resident memory
is read after the first 1,000 certificates and at the end: flat memory means the two are close.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.generate import bench_app, generate_organisation, sqlite_url


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(employees: int, singles: int) -> dict[str, float]:
    from sqlalchemy import select

    from elearn.extensions import db
    from elearn.models import Completion
    from elearn.services.audit import Actor
    from elearn.services.certificate_archive import archive_certificates
    from elearn.services.certificate_pdf import CertificateFacts, Issuer, render_certificate
    from elearn.services.reports import ReportFilter

    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder) / "org.db")
        report = generate_organisation(url, employees)
        app = bench_app(url, BASE_URL="https://elearn.example.lg.jp", CERTIFICATE_ISSUER="南野市長")
        with app.app_context():
            issuer = Issuer.from_config(app.config, "南野市長")
            completion = db.session.scalar(select(Completion).limit(1))
            facts = CertificateFacts.of(completion)
            start = time.perf_counter()
            for _ in range(singles):
                render_certificate(facts, issuer, date(2026, 12, 2))
            per_second = singles / (time.perf_counter() - start)
            db.session.expunge_all()

            archive = archive_certificates(Actor.command_line(), ReportFilter(report.year), app.config)
            count, size, rss_at_1000 = 0, 0, 0.0
            start = time.perf_counter()
            with open("/dev/null", "wb") as sink:
                for chunk in archive.chunks():
                    sink.write(chunk)
                    size += len(chunk)
                    count += 1
                    if count == 1000:
                        rss_at_1000 = peak_rss_mb()
            seconds = time.perf_counter() - start
    return {
        "single_per_second": per_second,
        "certificates": count - 1,  # the last chunk is the index and the ZIP's directory
        "archive_seconds": seconds,
        "archive_mb": size / 1e6,
        "peak_rss_mb_after_1000": rss_at_1000,
        "peak_rss_mb_at_end": peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--singles", type=int, default=200)
    figures = measure(parser.parse_args().employees, parser.parse_args().singles)
    for name, value in figures.items():
        print(f"{name}: {value:,.1f}")


if __name__ == "__main__":
    main()
