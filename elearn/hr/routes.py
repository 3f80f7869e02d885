"""HR's pages: the official completion records for a fiscal year."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, stream_with_context

from ..fiscal import current_fiscal_year
from ..models import Role
from ..permissions import role_required
from ..services.exports import csv_chunks
from ..services.reports import COMPLETION_HEADER, completion_rows, status_counts

bp = Blueprint("hr", __name__, template_folder="templates")

MIN_YEAR, MAX_YEAR = 2000, 2100


@bp.before_request
@role_required(Role.HR)
def restrict_to_hr() -> None:
    """Every page of this blueprint is HR's alone."""


def requested_year() -> int:
    raw = request.args.get("year")
    if raw is None or raw == "":
        return current_fiscal_year()
    if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        abort(400)
    return int(raw)


@bp.route("/")
def index():
    year = requested_year()
    current = current_fiscal_year()
    return render_template(
        "hr/index.html",
        year=year,
        years=range(current - 4, current + 2),
        counts=status_counts(year),
    )


@bp.route("/reports/completions.csv")
def completions_csv():
    year = requested_year()
    rows = (row.as_tuple() for row in completion_rows(year))
    response = Response(
        stream_with_context(csv_chunks(COMPLETION_HEADER, rows)), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="completions-{year}.csv"'
    return response
