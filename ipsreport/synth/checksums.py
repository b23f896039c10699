"""The checksums of ipsreport's own synthetic data: how the package knows its twin when it sees it.

A folder is the synthetic twin (rendered without the small-number rule) only
when its data files are exactly these bytes, whatever its ``manifest.yml``
says (:func:`ipsreport.inputs.manifest.check_manifest`); the shipped examples are
recognised the same way (synthetic, but the rule stays on). This module is
written by :func:`write_checksums` (``make synth`` calls it through
:func:`ipsreport.synth.twin.write_twin`; after editing a shipped file by
hand run ``python -m ipsreport.synth.checksums``); ``tests/test_manifest.py``
checks it against the files.
"""

from __future__ import annotations

__all__ = ["TWIN", "EXAMPLES", "write_checksums"]

#: ``data/synthetic/``: file name -> SHA-256.
TWIN = {
    "baseline.csv": "4261dc15944fb3aa33bf55af0696390aec962b19e62d1cbfe83688fd2088e9d6",
    "followup.csv": "d5f459c7ad3e6695b22ce268f1564ba54216ef72f2d8a0f3200afaac6c100236",
    "registry.csv": "9e66b6df886e7a967ea908ce77e4a0aa2546253ecaf659879eadbd8bac8990a9",
}

#: The example folders under ``data/examples/``: folder name -> {file name -> SHA-256}.
EXAMPLES = {
    "fidelity": {
        "baseline.csv": "4261dc15944fb3aa33bf55af0696390aec962b19e62d1cbfe83688fd2088e9d6",
        "fidelity.csv": "ee64c8d72a9411fdccf70a89370c0d07c46ae3f3ec4cdb630f2b5a40f7a66e98",
        "followup.csv": "d5f459c7ad3e6695b22ce268f1564ba54216ef72f2d8a0f3200afaac6c100236",
        "registry.csv": "9e66b6df886e7a967ea908ce77e4a0aa2546253ecaf659879eadbd8bac8990a9",
    },
}


def _folder_checksums(folder) -> dict[str, str]:
    from ipsreport.inputs.datafiles import file_sha256, find_data_files

    files, _ = find_data_files(folder)
    return {path.name: file_sha256(path) for path in sorted(files.values())}


def write_checksums() -> str:
    """Rewrite this module from the shipped ``data/synthetic/`` and ``data/examples/*/``; returns its text."""
    from pathlib import Path

    from ipsreport.paths import DATA_DIR, SYNTHETIC_DIR

    def block(checksums: dict[str, str], indent: str) -> str:
        return "".join(f'{indent}"{name}": "{sha}",\n' for name, sha in sorted(checksums.items()))

    examples = {p.name: _folder_checksums(p) for p in sorted((DATA_DIR / "examples").iterdir()) if p.is_dir()}
    text = Path(__file__).read_text(encoding="utf-8")
    head = text[: text.index("#: ``data/synthetic/``")]
    tail = text[text.index("\n\ndef _folder_checksums"):]
    body = "#: ``data/synthetic/``: file name -> SHA-256.\nTWIN = {\n" + block(_folder_checksums(SYNTHETIC_DIR), "    ")
    body += "}\n\n#: The example folders under ``data/examples/``: folder name -> {file name -> SHA-256}.\nEXAMPLES = {\n"
    body += "".join(f'    "{name}": {{\n' + block(sums, "        ") + "    },\n" for name, sums in examples.items())
    body += "}\n"
    new = head + body + tail
    Path(__file__).write_text(new, encoding="utf-8")
    return new


if __name__ == "__main__":
    write_checksums()
