"""ipsreport: the reproducible report system of the IPS UNG evaluation.

Chapters use the package as ``import ipsreport as ips`` and call
``ips.edition()``, ``ips.facts(d)``, ``ips.tab_*(d)`` and ``ips.fig_*(d)``.
Names are resolved lazily from the modules below, so importing the package is
cheap and a chapter only pays for what it uses.
"""

from __future__ import annotations

import importlib
import importlib.util

__version__ = "0.1.0"

#: Modules searched, in order, for a public name such as ``tab_duration``.
_MODULES = (
    "ipsreport.edition",
    "ipsreport.facts",
    "ipsreport.tables",
    "ipsreport.figures",
    "ipsreport.tables_fidelity", "ipsreport.figures_fidelity",
    "ipsreport.summaries",
    "ipsreport.models",
    "ipsreport.cases",
    "ipsreport.audit",
)


def __getattr__(name: str):
    if name.startswith("_"):
        raise AttributeError(name)
    # `from ipsreport import scoring` asks for a submodule: import it rather
    # than searching the public modules (which may import it in turn).
    if importlib.util.find_spec(f"ipsreport.{name}") is not None:
        return importlib.import_module(f"ipsreport.{name}")
    for module_name in _MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        if name in getattr(module, "__all__", ()) or (
            not hasattr(module, "__all__") and hasattr(module, name)
        ):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'ipsreport' has no attribute {name!r}")
