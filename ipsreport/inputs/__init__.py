"""Data in: what the data are, reading them, and checking them before anything is computed.

``codebook/`` (``data/codebook.yml``: the variables), ``datafiles`` (which files make up a
data folder), ``load/`` (reading CSV/XLSX/SAV), ``validate/`` (the codebook's rules, Danish
messages), ``manifest`` (recognising the synthetic twin), ``cohort`` (which persons an edition
covers), ``consistency`` (data against settings), ``edition`` (the validated ``Edition``),
``verdicts`` (validation kept on disk), ``plaintext`` (text from files is text),
``model_errors`` (pydantic errors in Danish for the YAML files an evaluator edits).
"""
