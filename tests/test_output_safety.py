"""The output folder is sacred; renders stop cleanly.

* ``render --output DIR`` writes only into a folder that is absent, empty or a
  previous ipsreport output, and refuses anything else (exit 5), touching
  nothing;
* an unwritable output folder is a Danish message, not a traceback;
* SIGTERM / SIGINT stop the kernels at once, remove the temporary folders and
  leave the previous output as it was;
* a validation verdict replayed from the cache names the folder validated.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from minibook_hooks import minibook_hooks

from ipsreport import cli
from ipsreport.paths import FIXTURES_DIR, SYNTHETIC_DIR
from ipsreport.render import engine
from ipsreport.render.base import STAMP_FILE
from ipsreport.render.engine import RenderError, render_book
from ipsreport.render.hooks import Variant

pytestmark = pytest.mark.render  # each test runs the CLI's render

MINIBOOK = FIXTURES_DIR / "minibook"
REPO = Path(__file__).resolve().parents[1]


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def leftovers(folder: Path) -> list[Path]:
    """Temporary or backup folders a render left in ``folder``."""
    return sorted(p for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A minibook copy rendered once (HTML only) into ``<root>/_book``."""
    root = tmp_path_factory.mktemp("safety") / "minibook"
    shutil.copytree(MINIBOOK, root, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    render_book(root, hooks=minibook_hooks(root / "data"), to="html", workers=1)
    return root


@pytest.fixture
def pinned():
    """Nothing to pin any more: the minibook's hooks do not hash the ipsreport package."""


def refused(root: Path, out: Path, **kwargs) -> str:
    from ipsreport.render.outdir import OutputRefused

    with pytest.raises(OutputRefused) as info:
        render_book(root, output_dir=out, hooks=minibook_hooks(kwargs.pop("data_dir", root / "data")), to="html",
                    workers=1, **kwargs)
    assert isinstance(info.value, RenderError)
    return str(info.value)


# --- what may be replaced ----------------------------------------------------


def test_folder_with_foreign_files_is_refused(book, tmp_path, pinned):
    out = tmp_path / "Rapporter"
    out.mkdir()
    (out / "budget.xlsx").write_bytes(b"regneark")
    (out / "noter").mkdir()
    (out / "noter" / "a.txt").write_text("x")
    before = tree_digest(out)
    msg = refused(book, out)
    assert str(out) in msg and "budget.xlsx" in msg
    assert tree_digest(out) == before
    assert not leftovers(tmp_path)


def test_data_folder_is_refused(book, tmp_path, pinned):
    data = tmp_path / "eksport"
    shutil.copytree(book / "data", data)
    before = tree_digest(data)
    msg = refused(book, data, data_dir=data)
    assert "datamappen" in msg and str(data) in msg
    # A folder holding the data, and a folder inside the data folder.
    refused(book, tmp_path, data_dir=data)
    msg = refused(book, data / "rapport", data_dir=data)
    assert "datamappen" in msg
    assert tree_digest(data) == before
    assert not (data / "rapport").exists()
    assert not leftovers(tmp_path) and not leftovers(data)


def test_data_folder_refused_even_when_empty_of_data(book, tmp_path, pinned):
    """The data folder is never an output, even one holding nothing yet."""
    data = tmp_path / "tom"
    data.mkdir()
    msg = refused(book, data, data_dir=data)
    assert "datamappen" in msg


def test_existing_file_is_refused(book, tmp_path, pinned):
    out = tmp_path / "rapport"
    out.write_text("min fil", encoding="utf-8")
    msg = refused(book, out)
    assert "fil" in msg and str(out) in msg
    assert out.is_file() and out.read_text(encoding="utf-8") == "min fil"


def test_project_folder_is_refused(book, tmp_path, pinned):
    before = tree_digest(book / "chapters")
    msg = refused(book, book, data_dir=tmp_path)
    assert "projektmappen" in msg
    refused(book, book.parent, data_dir=tmp_path)
    assert tree_digest(book / "chapters") == before


def test_foreign_file_inside_previous_output_is_refused(book, pinned):
    out = book / "_book"
    extra = out / "budget.xlsx"
    extra.write_bytes(b"regneark")
    try:
        before = tree_digest(out)
        msg = refused(book, out)
        assert "budget.xlsx" in msg
        assert tree_digest(out) == before
    finally:
        extra.unlink()


def test_empty_and_previous_outputs_are_accepted(book, tmp_path, pinned):
    out = tmp_path / "tom"
    out.mkdir()
    res = render_book(book, output_dir=out, hooks=minibook_hooks(book / "data"), to="html", workers=1)
    assert (out / "index.html").exists() and not res.unchanged
    # A partial render into that (marked) output keeps the other target's files.
    res = render_book(book, output_dir=out, hooks=minibook_hooks(book / "data"), to="pdf", workers=1)
    assert (out / "index.html").exists() and (out / "minibog.pdf").exists()
    assert not leftovers(tmp_path)


def test_output_of_an_older_version_is_accepted(book, tmp_path, pinned):
    """Outputs written before the stamp listed its files carry a one-line stamp."""
    out = tmp_path / "gammel"
    shutil.copytree(book / "_book", out)
    stamp = out / STAMP_FILE
    stamp.write_text("a-book-key-of-an-older-version\n", encoding="utf-8")
    (out / "index.html").write_text("old", encoding="utf-8")
    render_book(book, output_dir=out, hooks=minibook_hooks(book / "data"), to="html", workers=1)
    assert "old" != (out / "index.html").read_text(encoding="utf-8")
    # ... but a foreign file beside an old-style stamp is still refused.
    stamp.write_text("x\n", encoding="utf-8")
    (out / "budget.xlsx").write_bytes(b"regneark")
    assert "budget.xlsx" in refused(book, out)


def test_file_saved_into_the_output_during_a_render_survives(book, tmp_path, pinned):
    """The check is repeated just before the swap."""
    out = tmp_path / "ud"
    render_book(book, output_dir=out, hooks=minibook_hooks(book / "data"), to="html", workers=1)
    (out / STAMP_FILE).write_text("forældet\n" + "\n".join(
        (out / STAMP_FILE).read_text(encoding="utf-8").splitlines()[1:]) + "\n", encoding="utf-8")

    def progress(event, detail):
        if event == "write":
            (out / "budget.xlsx").write_bytes(b"regneark")

    from ipsreport.render.outdir import OutputRefused

    with pytest.raises(OutputRefused):
        render_book(book, output_dir=out, hooks=minibook_hooks(book / "data"), to="html", workers=1, progress=progress)
    assert (out / "budget.xlsx").read_bytes() == b"regneark"
    assert (out / "index.html").exists()
    assert not leftovers(tmp_path)


def test_by_site_root_with_foreign_files_is_refused(book, tmp_path, pinned):
    from ipsreport.render.outdir import OutputRefused
    from ipsreport.book.sites import render_by_site

    out = tmp_path / "steder"
    out.mkdir()
    (out / "budget.xlsx").write_bytes(b"regneark")
    with pytest.raises(OutputRefused) as info:
        render_by_site(book, book / "data", output_dir=out, to="html", workers=1)
    assert "budget.xlsx" in str(info.value)
    assert sorted(p.name for p in out.iterdir()) == ["budget.xlsx"]
    with pytest.raises(OutputRefused):
        render_by_site(book, book / "data", output_dir=book / "data", to="html", workers=1)
    assert not (book / ".ipsreport-cache" / "sites").exists()  # refused before the split


def test_render_variants_refuses_before_executing(book, tmp_path, pinned):
    from ipsreport.render.outdir import OutputRefused

    bad = tmp_path / "b"
    bad.mkdir()
    (bad / "budget.xlsx").write_bytes(b"x")
    specs = [
        Variant(output_dir=tmp_path / "a", hooks=minibook_hooks(book / "data"), cache_dir=tmp_path / "ca"),
        Variant(output_dir=bad, hooks=minibook_hooks(book / "data"), cache_dir=tmp_path / "cb"),
    ]
    with pytest.raises(OutputRefused):
        engine.render_variants(specs, book, to="html", workers=1)
    assert not (tmp_path / "a").exists() and not (tmp_path / "ca").exists()


# --- the command line ----------------------------------------------------------


class _Valid:
    ok = True
    errors: list = []
    warnings: list = []

    def format(self) -> str:
        return "gyldige"


def test_cli_refusal_is_exit_5_in_danish(book, tmp_path, monkeypatch, capsys, pinned):
    monkeypatch.setattr(cli, "_validate", lambda d: _Valid())
    monkeypatch.setenv("CI", "true")
    out = tmp_path / "Rapporter"
    out.mkdir()
    (out / "budget.xlsx").write_bytes(b"regneark")
    args = ["render", "--project", str(book), "--data", str(book / "data"), "--engine", "pandoc", "--to", "html"]
    assert cli.main([*args, "--output", str(out)]) == cli.EXIT_OUTPUT == 5
    err = capsys.readouterr().err
    assert "budget.xlsx" in err and "Traceback" not in err
    assert (out / "budget.xlsx").read_bytes() == b"regneark"
    assert cli.main([*args, "--by", "site", "--output", str(out)]) == 5
    assert "budget.xlsx" in capsys.readouterr().err


def test_exit_code_5_is_documented(capsys):
    assert cli.main(["--help"]) == 0
    assert "5  " in capsys.readouterr().out
    assert "\n5  " in cli.__doc__
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "| 5 |" in readme and "| 130 |" in readme and "| 143 |" in readme


def _unwritable(tmp_path: Path) -> Path:
    """A folder this process cannot create (root ignores file modes: use /sys)."""
    if os.geteuid() != 0:
        locked = tmp_path / "låst"
        locked.mkdir()
        locked.chmod(0o555)
        return locked / "rapport"
    probe = Path("/sys/ipsreport-probe")
    try:
        probe.mkdir()
    except OSError:
        return Path("/sys/ipsreport-rapport")
    probe.rmdir()
    pytest.skip("no unwritable folder on this machine")


def test_unwritable_output_is_a_message(book, tmp_path, monkeypatch, capsys, pinned):
    out = _unwritable(tmp_path)
    from ipsreport.render.outdir import OutputRefused

    with pytest.raises(OutputRefused) as info:
        render_book(book, output_dir=out, hooks=minibook_hooks(book / "data"), to="html", workers=1)
    assert "skrive" in str(info.value) and str(out) in str(info.value)
    monkeypatch.setattr(cli, "_validate", lambda d: _Valid())
    monkeypatch.setenv("CI", "true")
    code = cli.main(["render", "--project", str(book), "--data", str(book / "data"), "--engine", "pandoc",
                     "--to", "html", "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 5 and "Traceback" not in err and str(out) in err


# --- signals ---------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_while_writing_removes_the_temporary_folder(book, tmp_path, pinned, signum):
    from ipsreport.render.signals import Interrupted

    out = tmp_path / "ud"
    render_book(book, output_dir=out, hooks=minibook_hooks(book / "data"), to="html", workers=1)
    before = tree_digest(out)

    def progress(event, detail):
        if event == "write":
            os.kill(os.getpid(), signum)

    with pytest.raises(Interrupted) as info:
        render_book(book, output_dir=out, hooks=minibook_hooks(book / "data"), to="pdf", workers=1, progress=progress)
    assert info.value.signum == signum
    assert tree_digest(out) == before
    assert not leftovers(tmp_path)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # handlers restored


def test_signal_while_writing_several_books(book, tmp_path, pinned):
    from ipsreport.render.signals import Interrupted

    specs = [
        Variant(output_dir=tmp_path / "ud" / name, hooks=minibook_hooks(book / "data"), cache_dir=tmp_path / f"c{name}")
        for name in ("a", "b")
    ]
    engine.render_variants(specs, book, to="html", workers=1)
    before = tree_digest(tmp_path / "ud")
    sent = []

    def progress(event, detail):
        if event == "write" and not sent:
            sent.append(detail)
            os.kill(os.getpid(), signal.SIGTERM)

    with pytest.raises(Interrupted):
        engine.render_variants(specs, book, to="pdf", workers=2, progress=progress)
    assert tree_digest(tmp_path / "ud") == before
    assert not leftovers(tmp_path / "ud")


_SLOW_CELL = textwrap.dedent(
    """
    ```{python}
    import os, pathlib, time
    pathlib.Path(os.environ["IPSREPORT_TEST_MARK"]).write_text(str(os.getpid()))
    time.sleep(120)
    ```
    """
)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_cli_stops_promptly_on_signal(book, tmp_path, signum, code):
    """A signal while a chapter runs: kernels killed at once, no temp folder, old output kept."""
    root = tmp_path / "bog"
    shutil.copytree(book, root, ignore=shutil.ignore_patterns(".ipsreport-cache"))
    out = root / "_book"
    before = tree_digest(out)
    chapter = root / "chapters" / "02-figurer.qmd"
    chapter.write_text(_SLOW_CELL + "\n" + chapter.read_text(encoding="utf-8"), encoding="utf-8")
    mark = tmp_path / "started"
    env = {**os.environ, "CI": "true", "IPSREPORT_TEST_MARK": str(mark), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        # The twin's data: the command runs the pipeline on them before any chapter (the minibook's are no export).
        # The real command: the twin is validated as in any render (no stand-in validation, whose report the
        # pipeline would then be run on).
        [sys.executable, "-m", "ipsreport.cli", "render", "--project", str(root), "--data", str(SYNTHETIC_DIR),
         "--engine", "pandoc", "--to", "html", "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not mark.exists() or not mark.read_text():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the slow chapter never started"
            time.sleep(0.1)
        kernel = int(mark.read_text())
        t0 = time.monotonic()
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)
        elapsed = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, err
    assert elapsed < 4, elapsed
    assert not _alive(kernel)
    assert "Traceback" not in err
    assert tree_digest(out) == before
    assert not leftovers(root)


# --- validation verdicts -----------------------------------------------------------


def test_validated_data_are_kept_once_per_folder(tmp_path, monkeypatch):
    from ipsreport.render.store import open_store
    from ipsreport.inputs.verdicts import shared_path, validate_shared

    if not (SYNTHETIC_DIR / "registry.csv").exists():
        pytest.skip("synthetic edition not generated yet")
    first, copy = tmp_path / "første", tmp_path / "kopi"
    shutil.copytree(SYNTHETIC_DIR, first)
    shutil.copytree(SYNTHETIC_DIR, copy)
    cache = tmp_path / "cache"
    report = validate_shared(first, cache)
    assert report.ok and str(first.resolve()) in report.format()
    assert shared_path(first, cache).name in open_store(cache) and shared_path(copy, cache) != shared_path(first, cache)

    import ipsreport.inputs.validate

    def not_again(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(ipsreport.inputs.validate, "validate_dir", not_again)
    assert validate_shared(first, cache).format() == report.format()  # read back
    with pytest.raises(AssertionError, match="validated again"):
        validate_shared(copy, cache)  # a copy is its own folder: never reported under the first's name


def test_by_site_root_may_hold_previous_site_reports_only(book, tmp_path):
    from ipsreport.render.outdir import OutputRefused, check_output

    root = tmp_path / "steder"
    shutil.copytree(book / "_book", root / "sted-a")
    (root / ".sted-b.tmp-abc123").mkdir()  # left by a render that was killed (SIGKILL)
    check_output(root, collection=True)
    (root / "sted-a" / "budget.xlsx").write_bytes(b"x")
    with pytest.raises(OutputRefused, match="sted-a"):
        check_output(root, collection=True)
    (root / "sted-a" / "budget.xlsx").unlink()
    shutil.copy2(book / "_book" / STAMP_FILE, root / STAMP_FILE)
    with pytest.raises(OutputRefused, match="samlet rapport"):
        check_output(root, collection=True)
