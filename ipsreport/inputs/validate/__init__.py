"""Check an edition's data against the codebook and report every problem at once.

The checks are generated from ``data/codebook.yml``; each module does one job:

* :mod:`~ipsreport.inputs.validate.schema` builds the pandera schema of a dataset
  (types, codes, ranges, required cells and columns, ids in the parent file,
  ``asked_if``/``required_if_asked``, ``end_after_start``) and maps pandera's
  failures back to codebook rules;
* :mod:`~ipsreport.inputs.validate.rules` checks what pandera does not: repeated ids
  (``unique_ids``, linear time), ``references`` to another file, repeated key
  rows (``unique_rows``, a warning) and the two-file ``rules:`` with
  ``forbidden``;
* :mod:`~ipsreport.inputs.validate.file_warnings` warns about unknown columns, SPSS
  value labels that disagree with the codebook and files changed after their
  folder's manifest was written;
* :mod:`~ipsreport.inputs.validate.messages` words each problem in Danish, quoting
  the cells as written; :mod:`~ipsreport.inputs.validate.conditions` evaluates the
  codebook's conditions;
* :mod:`~ipsreport.inputs.validate.report` holds the result
  (:class:`ValidationReport`, :class:`DataValidationError`) and
  :mod:`~ipsreport.inputs.validate.run` the entry points :func:`validate` and
  :func:`validate_dir`.

Optional datasets (:data:`~ipsreport.inputs.load.OPTIONAL_DATASETS`, e.g. the
fidelity reviews) are checked like the others when their file is there; when
it is absent nothing is reported.

A condition that cannot be evaluated because a variable in it is missing is
treated as unknown: neither "must be empty" nor "must be answered" applies.

Validation is lazy: pandera collects all failure cases, which are turned into
:class:`~ipsreport.inputs.load.Violation` records with Danish messages such as::

    baseline.csv, række 7, kolonne who5_1: værdien "7" er ikke en tilladt kode (tilladt: 0-5; regel: tilladte_værdier)
"""

from ipsreport.inputs.load import Violation
from ipsreport.inputs.validate.report import DataValidationError, ValidationReport
from ipsreport.inputs.validate.rules import (
    MAX_LISTED_DUPLICATES,
    cross_rule_errors,
    duplicate_ids,
    reference_errors,
    repeated_rows,
)
from ipsreport.inputs.validate.run import validate, validate_dir
from ipsreport.inputs.validate.schema import PANDAS_DTYPES, build_schema

__all__ = [
    "Violation",
    "ValidationReport",
    "DataValidationError",
    "validate",
    "validate_dir",
    "build_schema",
    "PANDAS_DTYPES",
    "MAX_LISTED_DUPLICATES",
    "duplicate_ids",
    "reference_errors",
    "repeated_rows",
    "cross_rule_errors",
]
