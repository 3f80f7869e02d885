"""`make bundle` downloads the wheels for both Python versions a city's server may have.

The offline install test (test_offline_install.py) builds for the Python it runs on only; this checks,
without downloading anything, that the build proper asks pip for each version's wheels alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy import build_bundle


def test_make_bundle_downloads_every_wheel_for_cpython_3_11_and_3_12(monkeypatch, tmp_path: Path):
    commands: list[tuple[str, ...]] = []
    monkeypatch.setattr(build_bundle, "run", lambda *command: commands.append(command))
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_bundle.build_wheels(wheels, tmp_path)
    downloads = [command for command in commands if "download" in command]
    versions = [command[command.index("--python-version") + 1] for command in downloads]
    assert versions == ["3.11", "3.11", "3.12", "3.12"]
    # For each version: the app's requirements, then pip and setuptools themselves, binary only.
    assert all("--only-binary=:all:" in command for command in downloads)
    assert ["-r" in command for command in downloads] == [True, False, True, False]


def test_a_bundle_for_other_versions_asks_pip_for_those(monkeypatch, tmp_path: Path):
    commands: list[tuple[str, ...]] = []
    monkeypatch.setattr(build_bundle, "run", lambda *command: commands.append(command))
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_bundle.build_wheels(wheels, tmp_path, pythons=("3.12",))
    downloads = [command for command in commands if "download" in command]
    assert {command[command.index("--python-version") + 1] for command in downloads} == {"3.12"}


@pytest.mark.parametrize("name", ["flask-3.1.0.tar.gz", "markupsafe-3.0.0.zip"])
def test_a_source_package_among_the_wheels_stops_the_build(monkeypatch, tmp_path: Path, name: str):
    monkeypatch.setattr(build_bundle, "run", lambda *command: None)
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / name).write_bytes(b"")
    with pytest.raises(SystemExit, match=name):
        build_bundle.build_wheels(wheels, tmp_path)
