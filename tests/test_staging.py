"""Nothing of a failed render stays (issue 17).

A render writes its book into a staging folder beside the output and swaps
it in at the end. A render killed outright (SIGKILL, a power cut) cannot
clean up, so:

* the staging folder is private (mode 0o700) until the swap: what a crash
  leaves cannot be read by anyone else on the machine;
* its name says who made it (``.<output>.tmp-<host>-<pid>-<random>``), and the
  next render beside that output removes the ones whose process is gone;
* folders of a live render, older-style names and anything a user made are
  never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from minibook_hooks import minibook_hooks

from ipsreport.paths import FIXTURES_DIR
from ipsreport.render.outdir import remove_stale, staging_dir, work_folder_owner

REPO = Path(__file__).resolve().parents[1]
MINIBOOK = FIXTURES_DIR / "minibook"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def work_folders(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


def killed_staging(out: Path) -> Path:
    """The staging folder of a process killed with SIGKILL while it wrote a page."""
    code = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from ipsreport.render.outdir import staging_dir
        tmp = staging_dir(Path({str(out)!r}))
        (tmp / "index.html").write_text("fortrolige tal", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    before = set(work_folders(out.parent)) if out.parent.exists() else set()
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == -signal.SIGKILL
    (left,) = set(work_folders(out.parent)) - before
    return left


def test_staging_is_private_and_names_its_process(tmp_path):
    tmp = staging_dir(tmp_path / "ud")
    assert tmp.parent == tmp_path and tmp.name.startswith(".ud.tmp-")
    assert mode(tmp) == 0o700
    assert work_folder_owner(tmp.name, "ud") == os.getpid()


def test_a_killed_render_leaves_nothing_readable_and_the_next_removes_it(tmp_path):
    out = tmp_path / "ud"
    left = killed_staging(out)
    assert mode(left) == 0o700 and (left / "index.html").is_file()
    assert not mode(left) & (stat.S_IRWXG | stat.S_IRWXO)  # no one else may even list it
    fresh = staging_dir(out)  # what the next render does first
    assert work_folders(tmp_path) == [fresh]


def test_only_stale_folders_of_this_output_are_removed(tmp_path):
    out = tmp_path / "ud"
    live = staging_dir(out)  # this process is alive: its folder is kept
    dead = killed_staging(out)
    other_output = killed_staging(tmp_path / "andet")  # another output's: its own render cleans it
    user = [tmp_path / ".ud.tmp-noter", tmp_path / ".ud.tmp-abc-1-x.txt", tmp_path / "ud.tmp-1-2-3"]
    user[0].mkdir()
    user[1].write_text("en brugers fil", encoding="utf-8")
    user[2].mkdir()
    removed = remove_stale(tmp_path, "ud")
    assert removed == [dead]
    assert not dead.exists() and live.is_dir() and other_output.is_dir()
    assert all(p.exists() for p in user)


def test_a_folder_of_another_machine_is_kept(tmp_path):
    # Two machines may share the folder (a network drive): a process id means nothing across them.
    other = tmp_path / ".ud.tmp-000000-1-abcdefgh"
    other.mkdir()
    assert work_folder_owner(other.name, "ud") is None
    assert remove_stale(tmp_path, "ud") == [] and other.is_dir()


_KILLED_RENDER = textwrap.dedent("""
    import os, signal, stat, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from minibook_hooks import minibook_hooks
    from ipsreport.render.engine import render_book

    root, out, report = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])

    def progress(event, detail):
        if event == "write":
            modes = [oct(stat.S_IMODE(p.stat().st_mode)) for p in out.parent.iterdir() if ".tmp-" in p.name]
            report.write_text(" ".join(modes))
            os.kill(os.getpid(), signal.SIGKILL)

    render_book(root, output_dir=out, hooks=minibook_hooks(root / "data"), to=sys.argv[4], workers=1,
                progress=progress)
""")


@pytest.mark.render
@pytest.mark.parametrize("to", ["html", "pdf"])  # pdf after html: a partial render copies the old book first
def test_sigkilled_render_is_private_and_cleaned_by_the_next(tmp_path, to):
    from ipsreport.render.engine import render_book

    root = tmp_path / "bog"
    shutil.copytree(MINIBOOK, root, ignore=shutil.ignore_patterns("_book", ".ipsreport-cache"))
    out = tmp_path / "ud"
    first = render_book(root, output_dir=out, hooks=minibook_hooks(root / "data"), to="html", workers=1)
    assert mode(out) == 0o755  # the published book is readable
    runner, report = tmp_path / "runner.py", tmp_path / "modes.txt"
    runner.write_text(_KILLED_RENDER.format(tests=str(REPO / "tests")), encoding="utf-8")
    # A partial render (pdf after html) starts from a copy of the old book; --to html with nothing
    # changed would not write at all, so the html case renders with a changed chapter.
    if to == "html":
        (root / "index.qmd").write_text((root / "index.qmd").read_text(encoding="utf-8") + "\nNy linje.\n",
                                        encoding="utf-8")
    proc = subprocess.run([sys.executable, str(runner), str(root), str(out), str(report), to],
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert report.read_text().split() == ["0o700"]  # private while it was written
    (left,) = work_folders(tmp_path)
    assert mode(left) == 0o700
    before = sorted(p.name for p in out.iterdir())
    assert before == sorted(p.name for p in first.output_dir.iterdir())  # the old book is untouched
    render_book(root, output_dir=out, hooks=minibook_hooks(root / "data"), to=to, workers=1)
    assert work_folders(tmp_path) == []
    assert mode(out) == 0o755
