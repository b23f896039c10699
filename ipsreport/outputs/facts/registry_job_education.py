"""Facts of chapter 5, job and education: the sentences on Table 7 and the placements,
and Table 8 (exits, the success rate).

Every fact is written out by name. The shares of the codebook items
(Table 7, psychiatry, placements) are declared in ``data/codebook_facts.csv``
(:mod:`ipsreport.outputs.facts.pooled`).
"""

from __future__ import annotations

from ipsreport.outputs.facts import reading as rd
from ipsreport.outputs.facts.definition import computed
from ipsreport.outputs.facts.findings import placement_now_vs_ever
from ipsreport.outputs.facts.sentences import (education_choice_sentence, enrolled_sentence, evaluation_summary,
                                               no_placement_sentence, placement_noanswer_sentence)
from ipsreport.outputs.facts.sources import (ENROLLED_DURATION, EVALUATION, EXIT, NO_PLACEMENT_DURATION, PLACEMENT_OF_PLACED, REGISTRY_COUNTS)

__all__ = ["FACTS"]

FACTS = (
    # Table 7 (its shares are pooled codebook items: data/codebook_facts.csv).
    computed("evaluation_summary", evaluation_summary, kind="text", source=EVALUATION,
             rule="empty when a share is hidden", doc="Sætning om, hvad Tabel 7 samlet viser"),

    # Placements (the shares of the psychiatry and placement items: data/codebook_facts.csv).
    computed("no_placement_short_n",
             lambda f: rd.short_without_placement(f, f.summary_of(NO_PLACEMENT_DURATION)["short_n"].iloc[0]),
             kind="count", source=NO_PLACEMENT_DURATION, rule="min_cell",
             doc="Unge uden virksomhedsforløb, der havde været under fire måneder i forløb"),
    computed("no_placement_sentence", no_placement_sentence, kind="text", source=NO_PLACEMENT_DURATION,
             rule="min_cell (its counts)",
             doc=("Sætning om, hvor mange af dem uden virksomhedsforløb der havde været under fire måneder i "
                  "forløb (tom, når alle havde et)")),
    computed("placement_noanswer_sentence", placement_noanswer_sentence, kind="text", source=PLACEMENT_OF_PLACED,
             rule="min_cell (labels)",
             doc="Sætning om, at andelene også tæller dem med virksomhedsforløb, der ikke svarede"),
    computed("followup_enrolled_sentence", enrolled_sentence, kind="text", source=ENROLLED_DURATION,
             rule="none (a duration)", doc="Sætning om, hvorfor unge, der stadig var i forløb, indgår"),
    computed("placement_now_vs_ever", placement_now_vs_ever, kind="text", source=REGISTRY_COUNTS,
             rule="not compared when hidden",
             doc=("Andelen i virksomhedsforløb blandt dem, der stadig var i forløb, sammenlignet med alle unge i "
                  "forløb")),

    # Table 8 and the success rate.
    computed("success_words", lambda f: rd.words_of(f, f.registry_row("success")), kind="text",
             source=REGISTRY_COUNTS, rule="min_cell",
             doc="Andelen, der afsluttede til job, fleksjob eller uddannelse, i ord (projektets registreringer)"),
    computed("success_target_met", rd.target_met, kind="text", source=REGISTRY_COUNTS, rule="min_cell",
             doc="Om projektets mål for andelen i job eller uddannelse er nået"),
    computed("exit_job_n", lambda f: rd.exit_fact(f, 1, "n"), kind="count", source=EXIT, rule="min_cell",
             doc="Unge, der afsluttede til job (projektets registreringer)"),
    computed("exit_flexjob_n", lambda f: rd.exit_fact(f, 2, "n"), kind="count", source=EXIT, rule="min_cell",
             doc="Unge, der afsluttede til fleksjob (projektets registreringer)"),
    computed("exit_education_n", lambda f: rd.exit_fact(f, 3, "n"), kind="count", source=EXIT, rule="min_cell",
             doc="Unge, der afsluttede til uddannelse (projektets registreringer)"),
    computed("exit_education_share_words", lambda f: rd.words_of(f, rd.exit_pool(f, 3)), kind="text",
             source=EXIT, rule="min_cell",
             doc="Andelen af de afsluttede, der afsluttede til uddannelse, i ord (projektets registreringer)"),
    computed("uu_guidance_share_words", lambda f: rd.words_of(f, f.registry_row("uu_guidance")), kind="text",
             source=REGISTRY_COUNTS, rule="min_cell",
             doc="Andelen af alle forløb med vejledning af en UU-vejleder, i ord (projektets registreringer)"),
    computed("education_choice_sentence", education_choice_sentence, kind="text", source=EXIT,
             rule="empty when hidden",
             doc="Sætning om de mange, der vælger uddannelse (når det er mindst en fjerdedel)"),
)
