"""The offline bundle installs and runs on a machine with no network at all.

`make bundle`'s builder makes the tarball; it is unpacked and installed inside a network namespace of
its own (`unshare --net`: loopback only, no route anywhere), where the installed app then serves on
SQLite and on a PostgreSQL server started inside the namespace, answers /healthz and signs a user in.
A wheel missing from the bundle fails here, not at a city's install. Then a newer install over the
old one keeps elearn.env and the database, and `elearn db upgrade` brings an older schema forward.

It needs root (for the namespace) and unshare/ip; elsewhere it is skipped. It covers both databases
itself, so the PostgreSQL pass of CI does not run it again. The bundle here carries the wheels for the
Python running the tests only, the one it is installed with: `make bundle`'s second download, for the
other version, is the same command (tests/bundle/test_build.py), and would only add to the wait.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

from deploy.build_bundle import build

HERE = Path(__file__).resolve().parent
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
THIS_PYTHON = "{}.{}".format(*sys.version_info[:2])
# A script's first line: it fails if any address outside is reachable.
REACH_OUT = 'import socket; socket.create_connection(("1.1.1.1", 53), 2)'
NO_NETWORK = f"! {sys.executable} -c '{REACH_OUT}' 2>/dev/null"

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root for a network namespace"),
    pytest.mark.skipif(not shutil.which("unshare") or not shutil.which("ip"), reason="needs unshare and ip"),
    pytest.mark.skipif(
        bool(os.environ.get("ELEARN_TEST_REQUIRE_POSTGRES")),
        reason="covers SQLite and PostgreSQL itself in the SQLite pass",
    ),
    pytest.mark.xdist_group("bundle"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The bundle for this Python, built once and unpacked."""
    out = tmp_path_factory.mktemp("dist")
    tarball = build(out, pythons=(THIS_PYTHON,))
    assert (out / f"{tarball.name}.sha256").exists()
    with tarfile.open(tarball) as archive:
        archive.extractall(out, filter="tar")
    (unpacked,) = [p for p in out.iterdir() if p.is_dir()]
    return unpacked


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory) -> Path:
    """The bundle installed once, with no network: the SQLite and the PostgreSQL test both serve from
    it (the install takes the longest, and what it installs does not depend on the database), and the
    upgrade test, the module's last, installs over it."""
    target = tmp_path_factory.mktemp("installed") / "opt-elearn"
    result = offline(
        f"""
{NO_NETWORK}
./install.sh {target}
test -x {target}/venv/bin/elearn && test -x {target}/venv/bin/gunicorn
""",
        bundle,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return target


@pytest.fixture
def postgres_folder():
    """A folder the server's own user can reach (pytest's are root's alone), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="elearn-bundle-pg-", dir="/tmp"))
    folder.chmod(0o755)
    shutil.chown(folder, "postgres", "postgres")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def offline(script: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a shell script in a new network namespace: only loopback, brought up first."""
    return subprocess.run(
        ["unshare", "--net", "sh", "-euc", f"ip link set lo up\n{script}"],
        cwd=cwd, capture_output=True, text=True, env={**_clean_env(), "PYTHON": sys._base_executable},
    )  # fmt: skip


def _clean_env() -> dict[str, str]:
    """The environment without this test run's own settings (databases, venv, pip's indexes)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {key: os.environ[key] for key in keep if key in os.environ}


def serve_and_sign_in(target: Path, port: int, database_url: str = "") -> str:
    """The script that serves from the install and signs in; on ``database_url`` if given, else on the
    SQLite file elearn.env names."""
    database = f"export DATABASE_URL='{database_url}'" if database_url else ""
    return f"""
set -a; . {target}/elearn.env; set +a
{database}
{target}/venv/bin/elearn db upgrade
{target}/venv/bin/elearn content sync
{target}/venv/bin/elearn demo --if-empty
{target}/venv/bin/gunicorn -w 2 -b 127.0.0.1:{port} 'elearn:create_app()' > {target}/gunicorn.log 2>&1 &
server=$!
{target}/venv/bin/python {HERE / "signin_check.py"} http://127.0.0.1:{port} D0001 demo-pass-2026 || \
  {{ cat {target}/gunicorn.log; kill $server; exit 1; }}
kill $server
"""


def test_the_bundle_has_wheels_only_for_its_python_and_checksums(bundle):
    wheels = list((bundle / "wheels").iterdir())
    assert wheels and all(w.name.endswith(".whl") for w in wheels)
    names = " ".join(w.name for w in wheels)
    tag = "cp" + THIS_PYTHON.replace(".", "")
    assert tag in names, f"no compiled wheels for {tag}"
    assert any(w.name.startswith("elearn-") for w in wheels)
    listed = (bundle / "SHA256SUMS").read_text()
    assert all(f"wheels/{w.name}" in listed for w in wheels)
    shipped = [
        "install.sh",
        "INSTALL.ja.md",
        "elearn.env.template",
        "policy",
        "courses",
        "quizzes",
        "migrations",
    ]
    shipped += ["systemd/elearn.service", "systemd/elearn-remind.timer", "nginx/elearn.conf"]
    for name in shipped:
        assert (bundle / name).exists(), name


def test_it_installs_and_serves_on_sqlite_without_any_network(bundle, installed):
    result = offline(f"{NO_NETWORK}\n{serve_and_sign_in(installed, 18081)}", bundle)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "signed in as D0001" in result.stdout
    assert (installed / "instance" / "elearn.db").exists()


@pytest.mark.skipif(not PG_BIN, reason="PostgreSQL server binaries are not installed")
def test_it_installs_and_serves_on_postgresql_without_any_network(bundle, installed, postgres_folder):
    data = postgres_folder
    pg = PG_BIN[-1]
    url = "postgresql+psycopg://postgres@127.0.0.1:54391/postgres"
    result = offline(
        f"""
cd /  # the server's own user may not enter the test's folders
runuser -u postgres -- {pg}/initdb -D {data}/data -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- {pg}/pg_ctl -D {data}/data -l {data}/log -w \
  -o "-c listen_addresses=127.0.0.1 -p 54391 -k {data}" start >/dev/null
trap 'cd / && runuser -u postgres -- {pg}/pg_ctl -D {data}/data -m immediate stop >/dev/null' EXIT
{NO_NETWORK}
{serve_and_sign_in(installed, 18082, database_url=url)}
""",
        bundle,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "signed in as D0001" in result.stdout


def test_an_upgrade_over_an_older_install_keeps_the_settings_and_the_database(bundle, installed):
    """The module's install plays the old one: its database starts again at an old schema (0004),
    then the bundle is installed over it. (An old install of its own would double the module's
    longest step.)"""
    target = installed
    for leftover in (target / "instance").glob("elearn.db*"):  # the serving test's, at the newest schema
        leftover.unlink()
    first = offline(
        f"""
set -a; . {target}/elearn.env; set +a
{target}/venv/bin/elearn db upgrade 0004
{sys.executable} -c "
import sqlite3; c = sqlite3.connect('{target}/instance/elearn.db')
c.execute(\\"INSERT INTO departments (name, created_at) VALUES ('旧版の所属', '2026-01-01')\\")
c.commit()"
""",
        bundle,
    )
    assert first.returncode == 0, first.stdout + first.stderr
    settings = (target / "elearn.env").read_text()
    second = offline(
        f"""
./install.sh {target}
set -a; . {target}/elearn.env; set +a
{target}/venv/bin/elearn db upgrade
{target}/venv/bin/elearn db current
""",
        bundle,
    )
    assert second.returncode == 0, second.stdout + second.stderr
    assert "kept" in second.stdout and (target / "elearn.env").read_text() == settings
    assert "(head)" in second.stdout
    import sqlite3

    with sqlite3.connect(target / "instance" / "elearn.db") as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM departments")]
    assert names == ["旧版の所属"]
