"""``ipsreport render --previous DIR``: refused in Danish with exit 8, and one whole 2026 book against the 2025 twin."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ipsreport.cli import main
from ipsreport.cli_args import EXIT_PREVIOUS, EXIT_USAGE
from ipsreport.paths import PROJECT_DIR, SYNTHETIC_DIR
from next_edition import SETTINGS_2026, write_2026  # tests/ is on sys.path under pytest


@pytest.mark.unit
def test_previous_that_holds_no_edition_exits_8_naming_the_folder(tmp_path, capsys):
    assert EXIT_PREVIOUS == 8
    missing = tmp_path / "editions"
    assert main(["render", "--previous", str(missing), "--output", str(tmp_path / "out")]) == EXIT_PREVIOUS
    err = capsys.readouterr().err
    assert f"--previous {missing}: mappen findes ikke" in err and "Intet blev lavet" in err
    missing.mkdir()
    (missing / "notes.txt").write_text("x")
    assert main(["render", "--previous", str(missing), "--output", str(tmp_path / "out")]) == EXIT_PREVIOUS
    assert "indeholder intet resultatsæt" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.unit
def test_previous_data_without_previous_is_a_usage_error(tmp_path, capsys):
    assert main(["render", "--previous-data", str(SYNTHETIC_DIR), "--output", str(tmp_path / "out")]) == EXIT_USAGE
    assert "--previous-data kræver --previous" in capsys.readouterr().err


def _run(*args: str, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "IPSREPORT_CACHE_DIR": str(cache)}
    env.pop("IPSREPORT_SETTINGS", None)
    env.pop("IPSREPORT_DATA", None)
    return subprocess.run([sys.executable, "-m", "ipsreport", *args], capture_output=True, text=True,
                          cwd=PROJECT_DIR, env=env, timeout=900)


def _text(page: Path) -> str:
    raw = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


@pytest.mark.render
def test_render_2026_with_the_2025_twin_as_previous_edition(tmp_path):
    from ipsreport.pipeline import run
    from ipsreport.results import write_bundle

    cache = Path(tempfile.mkdtemp(prefix="ipsreport-editions-cache-"))
    previous = tmp_path / "editions" / "2025"
    write_bundle(run(SYNTHETIC_DIR), previous)  # an output folder holding resultater/
    data = write_2026(tmp_path / "data-2026")
    sets = [part for key, value in SETTINGS_2026.items() for part in ("--set", f"{key}={value}")]
    done = _run("render", "--data", str(data), *sets, "--previous", str(tmp_path / "editions"),
                "--previous-data", str(SYNTHETIC_DIR), "--output", str(tmp_path / "book"), "--to", "html",
                cache=cache)
    assert done.returncode == 0, done.stderr
    conclusion = _text(tmp_path / "book" / "02-konklusion.html")
    assert "Udvikling siden sidste udgave" in conclusion
    assert "Ingen af de unge i denne udgave indgik i udgaven fra 2025" in conclusion
    from ipsreport.results import read_bundle

    published = read_bundle(tmp_path / "book").dataset("tbl-edition-change").frame().rows
    assert {r["indicator"]: r["verdict"] for r in published}["success"] == "up"
    assert re.search(r"Tabel 1: Nøgletal i denne og den forrige udgave", conclusion)
    assert (tmp_path / "book" / "tabeller" / "tbl-edition-change.csv").is_file()
    jobs = _text(tmp_path / "book" / "05-job-og-uddannelse.html")
    assert "eller uddannelse, steget fra 60 % til 84 %" in jobs
    health = _text(tmp_path / "book" / "06-mental-sundhed.html")
    assert "Den gennemsnitlige trivsel (WHO-5) ved afslutning ligger på niveau med udgaven fra 2025" in health
    assert "Den gennemsnitlige ensomhed ved afslutning, " not in health
    assert "ensomhed ved afslutning faldet fra 2,70 til 1,85" in health
