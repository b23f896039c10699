"""The codebook (``data/codebook.yml``), the one source of truth for the data.

``codebook`` (reading it into frozen dataclasses), ``file`` (the file's shape as pydantic
models), ``terms`` (shared vocabulary: variable types, names in a condition), ``text`` (the
codebook in Danish words, for the codebook appendix).
"""
