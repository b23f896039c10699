"""Read the three data files of an edition as text, then convert per codebook.

Loading happens in two explicit steps so that nothing is silently coerced or
dropped:

1. :func:`load_raw` finds ``registry``, ``baseline`` and ``followup`` (and the
   optional ``fidelity`` reviews, when present) in a data
   folder (CSV, XLSX or SPSS ``.sav``), detects the CSV dialect (encoding,
   delimiter, decimal mark) and returns every cell as *text*, indexed by the
   row number the user sees in the file. Problems that stop a file from being
   read at all (missing file, two candidate files, empty or non-data file,
   rows with the wrong number of fields, ...) are collected as
   :class:`Violation` records instead of raised, so the user sees all of them
   at once.
2. :func:`convert` turns the text into typed frames following the codebook
   (categories and integers -> ``Int64``, numbers -> ``Float64``, dates ->
   ``datetime64[ns]``, ids and strings -> ``string``). A cell that does not
   convert becomes missing *and* is reported as a violation (rule
   ``datatype``); :mod:`ipsreport.inputs.validate` turns those into errors.

Row numbers follow the file as the user sees it: in CSV and Excel files the
header is row 1, so the first data row is row 2; in SPSS files row 1 is the
first case (as in SPSS' Data View).
"""

from ipsreport.inputs.load.convert import convert
from ipsreport.inputs.load.raw import load_raw, raw_from_frames
from ipsreport.inputs.load.records import (
    ALL_DATASETS,
    DATASETS,
    FORMATS,
    OPTIONAL_DATASETS,
    RawData,
    Source,
    TypedData,
    Violation,
    file_sha256,
    find_data_files,
)

__all__ = [
    "DATASETS",
    "OPTIONAL_DATASETS",
    "ALL_DATASETS",
    "FORMATS",
    "Violation",
    "Source",
    "RawData",
    "TypedData",
    "load_raw",
    "raw_from_frames",
    "convert",
    "file_sha256",
    "find_data_files",
]
