"""Filesystem locations, built from the package location.

Quarto (and our own engine) execute chapter cells with the chapter's folder as
working directory, so nothing in ipsreport may depend on the current working
directory. Every path the package needs is derived here.

A leaf module: constants only, no imports from ``ipsreport``. Which data folder
a render reads (``IPSREPORT_DATA`` or the ``data_dir`` setting) is decided by
:func:`ipsreport.config.settings.default_data_dir`.
"""

from __future__ import annotations

from pathlib import Path

#: The installed ``ipsreport`` package folder.
PACKAGE_DIR = Path(__file__).resolve().parent
#: The project checkout (the folder holding ``_quarto.yml``).
PROJECT_DIR = PACKAGE_DIR.parent
#: Data folder: codebook, the synthetic twin, case files.
DATA_DIR = PROJECT_DIR / "data"
CODEBOOK_PATH = DATA_DIR / "codebook.yml"
#: Facts that pool codes of a codebook item, declared as data (``ipsreport.outputs.facts.pooled``).
CODEBOOK_FACTS_PATH = DATA_DIR / "codebook_facts.csv"
SYNTHETIC_DIR = DATA_DIR / "synthetic"
CASES_DIR = DATA_DIR / "cases"
REPORT_DIR = PROJECT_DIR / "report"
FIXTURES_DIR = PROJECT_DIR / "tests" / "fixtures"
#: Every number printed in the 2025 edition: what Bilag 7 audits the data against.
PUBLISHED_PATH = DATA_DIR / "published" / "2025.yml"
#: Package defaults for settings (see ``ipsreport.config.settings``).
DEFAULTS_PATH = PACKAGE_DIR / "config" / "defaults.yml"
#: The edition's own settings file, layered over the defaults.
EDITION_SETTINGS_PATH = PROJECT_DIR / "ipsreport.yml"

