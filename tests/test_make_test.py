"""`make test` sets itself up: without Debian's chromium it installs it with apt-get when run as root,
and otherwise stops, before any test, with the exact command to run. Checked with stand-ins for
apt-get and id on PATH and a CHROMIUM path that does not exist (the real browser is left alone)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .conftest import ROOT

APT_COMMAND = "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core"


def _fake_bin(tmp_path: Path, uid: int, installs: bool = True) -> tuple[Path, Path, Path]:
    """A PATH folder with fake apt-get (logs its arguments; ``install`` creates the fake chromium) and id."""
    folder, log, chromium = tmp_path / "bin", tmp_path / "apt.log", tmp_path / "usr" / "bin" / "chromium"
    folder.mkdir()
    make = "mkdir -p \"$(dirname \"$CHROMIUM\")\" && printf '#!/bin/sh\\n' > \"$CHROMIUM\" && chmod +x \"$CHROMIUM\"" if installs else "true"
    (folder / "apt-get").write_text(
        f"#!/bin/sh\necho \"DEBIAN_FRONTEND=$DEBIAN_FRONTEND apt-get $*\" >> {log}\n"
        f"case \"$1\" in install) {make};; esac\n")
    (folder / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    for script in folder.iterdir():
        script.chmod(0o755)
    return folder, log, chromium


def _make(target: str, folder: Path, chromium: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{folder}:/usr/bin:/bin"}
    return subprocess.run(["make", "--no-print-directory", target, f"CHROMIUM={chromium}", *extra],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_as_root_a_missing_chromium_is_installed_with_apt_get(tmp_path):
    folder, log, chromium = _fake_bin(tmp_path, 0)
    result = _make("browser", folder, chromium)
    assert result.returncode == 0, result.stdout + result.stderr
    calls = log.read_text().splitlines()
    assert [call.split(" ", 1)[1] for call in calls] == ["apt-get update -qq",
                                                       "apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core"]
    assert calls[1].startswith("DEBIAN_FRONTEND=noninteractive ")
    assert chromium.is_file()
    # once it is there, nothing is installed again
    log.unlink()
    assert _make("browser", folder, chromium).returncode == 0 and not log.exists()


def test_as_root_a_failed_install_stops_make_test(tmp_path):
    folder, log, chromium = _fake_bin(tmp_path, 0, installs=False)
    result = _make("browser", folder, chromium)
    assert result.returncode != 0
    assert f"{chromium} is still missing" in result.stdout


def test_as_another_user_make_test_stops_with_the_command_to_run(tmp_path):
    folder, log, chromium = _fake_bin(tmp_path, 1000)
    result = _make("test", folder, chromium)
    assert result.returncode != 0
    assert f"  sudo apt-get update && sudo {APT_COMMAND}\n" in result.stdout
    assert not log.exists(), "apt-get ran without root"
    assert "-m pytest" not in result.stdout + result.stderr and "passed" not in result.stdout


def test_make_test_runs_the_browser_step_before_pytest_with_its_chromium(tmp_path):
    folder, _log, chromium = _fake_bin(tmp_path, 0)
    dry = _make("test", folder, chromium, "-n")
    lines = dry.stdout.splitlines()
    browser = next(i for i, line in enumerate(lines) if "apt-get update" in line)
    pytest_line = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    assert browser < pytest_line, dry.stdout


def test_the_browser_fixture_fails_rather_than_skips():
    source = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    fixture = source.split("def browser():", 1)[1].split("\n\n\n", 1)[0]
    assert "pytest.fail(" in fixture and "pytest.skip(" not in fixture
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("make test")
    assert "apt-get" not in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
