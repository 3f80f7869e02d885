"""Build the offline install bundle: ``make bundle`` → dist/elearn-offline-<version>-<platform>.tar.gz.

City systems for staff sit on a network without internet; the bundle carries everything an install
needs: the app as a wheel, every dependency as binary wheels for Linux x86_64 and CPython 3.11 and 3.12
(no sdists: nothing is compiled at install), the content (policy, courses, quizzes), the migrations,
install.sh, a systemd unit and timer, an nginx sample, an environment template and INSTALL.ja.md, with
SHA-256 checksums.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEPLOY = PROJECT / "deploy"
PLATFORM = "linux_x86_64"
# manylinux tags pip may take for x86_64: glibc 2.17 (CentOS 7 era) up to 2.28 (RHEL 8 / Rocky 8).
MANYLINUX = ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "linux_x86_64"]
PYTHONS = ("3.11", "3.12")
EXTRAS = ("server", "postgres")
CONTENT = ("policy", "courses", "quizzes", "migrations")
DEPLOY_FILES = ("install.sh", "elearn.env.template", "INSTALL.ja.md", "systemd", "nginx")


def version() -> str:
    with (PROJECT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def requirements() -> list[str]:
    """The app's dependencies with the extras an installation uses (gunicorn, psycopg)."""
    with (PROJECT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    extras = project.get("optional-dependencies", {})
    return [*project["dependencies"], *(req for extra in EXTRAS for req in extras.get(extra, []))]


def run(*command: str) -> None:
    subprocess.run(command, check=True)


def compile_catalogues() -> None:
    """The .mo files are build output: the wheel must carry them for the English pages."""
    for po in (PROJECT / "elearn" / "translations").glob("*/LC_MESSAGES/messages.po"):
        run(sys.executable, "-m", "babel.messages.frontend", "compile", "--use-fuzzy",
            "-i", str(po), "-o", str(po.with_suffix(".mo")))  # fmt: skip


def build_wheels(wheels: Path, work: Path, pythons: tuple[str, ...] = PYTHONS) -> None:
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(PROJECT))
    listed = work / "requirements.txt"
    listed.write_text("\n".join(requirements()) + "\n", encoding="utf-8")
    platforms = [arg for tag in MANYLINUX for arg in ("--platform", tag)]
    for python in pythons:
        # pip's cache is used: a wheel it already downloaded (e.g. for this venv) is taken from there,
        # checked against the index's hash like any download.
        run(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
            "--implementation", "cp", "--python-version", python, *platforms,
            "-d", str(wheels), "-r", str(listed))  # fmt: skip
        # pip and setuptools themselves: a venv made on the server may carry an old pip.
        run(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
            "--implementation", "cp", "--python-version", python, *platforms,
            "-d", str(wheels), "pip", "setuptools", "wheel")  # fmt: skip
    sdists = [p.name for p in wheels.iterdir() if not p.name.endswith(".whl")]
    if sdists:
        raise SystemExit(f"not wheels (would compile at install): {', '.join(sdists)}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(folder: Path) -> None:
    lines = [f"{sha256(p)}  {p.relative_to(folder)}" for p in sorted(folder.rglob("*")) if p.is_file()]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def stage(root: Path) -> None:
    for name in CONTENT:
        shutil.copytree(PROJECT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in DEPLOY_FILES:
        source = DEPLOY / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    (root / "install.sh").chmod(0o755)
    (root / "VERSION").write_text(version() + "\n", encoding="utf-8")


def build(out: Path, pythons: tuple[str, ...] = PYTHONS) -> Path:
    """The bundle in ``out``, with wheels for ``pythons`` (the test builds for its own one only)."""
    name = f"elearn-offline-{version()}-{PLATFORM}"
    out.mkdir(parents=True, exist_ok=True)
    compile_catalogues()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / name
        (root / "wheels").mkdir(parents=True)
        build_wheels(root / "wheels", Path(folder), pythons)
        stage(root)
        write_checksums(root)
        tarball = out / f"{name}.tar.gz"
        with tarfile.open(tarball, "w:gz") as archive:
            archive.add(root, arcname=name)
    (out / f"{tarball.name}.sha256").write_text(f"{sha256(tarball)}  {tarball.name}\n", encoding="utf-8")
    return tarball


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "dist")
    print(build(parser.parse_args().out))


if __name__ == "__main__":
    main()
