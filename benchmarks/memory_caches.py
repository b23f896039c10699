"""Profile: what each in-memory cache saves one book's computations (the table in docs/CONTRACT.md).

One process, the synthetic twin. A book's work is what a render's kernels do
(:func:`ipsreport.explore.explore`: every table, figure and the facts object)
plus every fact the chapters print. It runs once under :mod:`cProfile`,
which counts how often each cache is asked (its public entry) and how often
it computes (the function behind it). Then each cache's miss and hit are
timed directly on the same edition. Without a cache, every request would
pay the miss: ``requests × miss`` is what it saves; a cache whose requests
equal its misses saves nothing.

``python -m benchmarks.memory_caches`` prints a markdown table. Nothing here
asserts a target.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from functools import cached_property

from ipsreport import paths


def _ms(make, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        make()
    return (time.perf_counter() - start) * 1000 / repeat


def _calls(stats: pstats.Stats, module: str, name: str) -> int:
    """Calls of ``module:name`` in the profile (0 when never called)."""
    return sum(v[1] for (file, _, func), v in stats.stats.items() if func == name and file.endswith(module))


#: The profile's settings: the small-number rule on, as for every data folder but the verified twin.
SETTINGS = {"min_cell": 3}


def book_work():
    """What one book computes: every table and figure, and every fact its chapters print."""
    import matplotlib.pyplot as plt

    from ipsreport.explore import explore
    from ipsreport.outputs.facts import facts
    from ipsreport.render.config import load_project
    from ipsreport.results.build import printed_facts

    run = explore(paths.SYNTHETIC_DIR, SETTINGS)
    f = facts(run.edition)
    for name in printed_facts(load_project(paths.PROJECT_DIR).files):
        getattr(f, name)
    plt.close("all")
    return run


def main() -> int:
    from collections import Counter

    from ipsreport.inputs.codebook import codebook as codebook_module
    from ipsreport.analysis.disclosed import disclosure
    from ipsreport.analysis import memo
    from ipsreport.inputs import edition as edition_module
    from ipsreport.inputs.codebook.codebook import load_codebook
    from ipsreport.analysis.disclosed.layer import Disclosed, disclosed
    from ipsreport.analysis.disclosed.scored import ScoredSummaries
    from ipsreport.analysis.scoring import edition_scores
    from ipsreport.outputs.facts.access import Facts, facts

    # The layer's own cached properties and those of its score-reading part (the fidelity part is counted apart).
    props = [n for part in (Disclosed, ScoredSummaries) for n, v in vars(part).items() if isinstance(v, cached_property)]
    asked: Counter = Counter()

    class Counting(Disclosed):
        """Counts every read of a cached property (a hit never reaches cached_property.__get__)."""

        def __getattribute__(self, name):
            if name in props:
                asked[name] += 1
            return super().__getattribute__(name)

    book_work()  # imports, fonts, first-call costs outside the profile
    edition_module.clear_cache()
    memo.forget_all()
    ed = edition_module.edition(paths.SYNTHETIC_DIR, SETTINGS)  # the one explore() finds in edition._CACHE
    # Seeded through the cache's own key, so every disclosed(ed) of the book returns the counting layer.
    scores = edition_scores(ed)  # the edition's one Derived, which disclosed(ed) keys on too
    memo.remember(("disclosed", disclosure.get_min_cell(ed)), ed, lambda: Counting(ed, scores), inputs=(scores,))
    profile = cProfile.Profile()
    profile.enable()
    run = book_work()
    profile.disable()
    assert run.edition is ed
    stats = pstats.Stats(profile)

    fresh = Disclosed(ed, scores)
    plan_ms = _ms(lambda: fresh.plan)
    # own_plan: the book's own plan (Disclosed.plan returns it when no plan was handed over).
    miss = {n: _ms(lambda n=n: getattr(fresh, n)) for n in props if n != "own_plan"}
    miss["own_plan"] = plan_ms
    hit_ms = _ms(lambda: [getattr(fresh, n) for n in props], 50) / len(props)
    rows = []

    def row(cache, key, requests, misses, miss_ms, hit, saved):
        rows.append(f"| {cache} | {key} | {requests} | {misses} | {miss_ms:.1f} | {hit:.3f} | {saved:.0f} |")

    requests = _calls(stats, "layer.py", "disclosed") + 1  # and the seeding call
    row("`memo` `('disclosed', min_cell)`", "edition object, min_cell", requests, 1,
        _ms(lambda: Disclosed(ed, scores).plan), _ms(lambda: disclosed(ed), 100), (requests - 1) * plan_ms)
    row(f"`Disclosed` cached properties ({len(props)})", "the Disclosed object (one per edition)",
        sum(asked.values()), len([n for n in props if asked[n]]), sum(miss[n] for n in props if asked[n]), hit_ms,
        sum((asked[n] - 1) * miss[n] for n in props if asked[n]))
    requests = _calls(stats, "access.py", "facts")
    row("`memo` `'facts'`", "edition object", requests, _calls(stats, "access.py", "__init__"),
        _ms(lambda: Facts(ed)), _ms(lambda: facts(ed), 100), 0)
    row("`edition._CACHE` / `_REPORTS`", "data files' checksums, codebook; resolved settings",
        _calls(stats, "edition.py", "edition") + 1, 1,
        _ms(lambda: (edition_module.clear_cache(), edition_module.edition(paths.SYNTHETIC_DIR, SETTINGS))),
        _ms(lambda: edition_module.edition(paths.SYNTHETIC_DIR, SETTINGS), 20), 0)
    requests = _calls(stats, "codebook.py", "load_codebook")
    miss_cb = _ms(lambda: (codebook_module._load.cache_clear(), load_codebook()))
    row("`codebook._load` (lru_cache, 8)", "codebook path", requests, 1, miss_cb, _ms(load_codebook, 100),
        (requests - 1) * miss_cb)
    print("| cache | key | requests per book | misses | miss (ms) | hit (ms) | saved per book (ms) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    print("\nreads per Disclosed property:", dict(asked.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
