"""The results of one run, as a frozen :class:`Results` and as the ``resultater/`` bundle on disk.

``ipsreport.pipeline.run(data, settings)`` returns a :class:`Results`: the
facts the chapters print, the data of every table and figure, Table 9, the
validation verdict, data checksums, settings and software versions, every
number already through the disclosure layer. :func:`write_bundle` writes it
next to the rendered book (``<output>/resultater/``); :func:`read_bundle`
reads it back and checks its schema version, for a later edition that
compares itself with this one. ``docs/RESULTS.md`` documents every file and
field.

Modules: :mod:`~ipsreport.results.schema` (the pydantic models and
:data:`SCHEMA_VERSION`), :mod:`~ipsreport.results.specs` (which frames and
columns each table and figure publishes), :mod:`~ipsreport.results.build`
(building it from an edition), :mod:`~ipsreport.results.bundle` (the folder
on disk), :mod:`~ipsreport.results.publish` (the render's hook),
:mod:`~ipsreport.results.doc` (the field tables of docs/RESULTS.md).
"""

from ipsreport.results.bundle import BUNDLE_DIR, BundleError, read_bundle, write_bundle
from ipsreport.results.schema import SCHEMA_VERSION, Results

__all__ = ["Results", "SCHEMA_VERSION", "BUNDLE_DIR", "BundleError", "read_bundle", "write_bundle"]
