"""Figures: what is drawn equals the tested summaries; one theme; Danish text.

Each figure is built from a hand-made edition, from a seeded random edition
and (when present) from the synthetic twin. Plotted values are read back
from the matplotlib artists (found by ``gid``) and compared with the
``summarise_*`` frames.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from ipsreport.analysis.scoring import edition_scores
import ipsreport.outputs.fmt as fmt
from ipsreport.outputs import figures, theme
from ipsreport.outputs.figures import layout, paired
from ipsreport.analysis.summaries.mental_health import (
    summarise_paired,
    summarise_paired_long,
    summarise_who5_bands,
)
from ipsreport.analysis.summaries.supplementary import (
    summarise_effect,
    summarise_experience,
    summarise_statements,
)

ALL = ["fig_mastery", "fig_loneliness", "fig_who5", "fig_burden", "fig_experience", "fig_statements", "fig_effect"]
PAIRED = {"fig_mastery": "mastery", "fig_loneliness": "loneliness", "fig_who5": "who5", "fig_burden": "burden"}


def _who5(total: int) -> dict:
    items, left = [], total
    for _ in range(5):
        items.append(min(5, left))
        left -= items[-1]
    return {f"who5_{i + 1}": v for i, v in enumerate(items)}


@pytest.fixture
def small(make_edition):
    """Hand-made edition: five pairs with known means, one without WHO-5 at the end."""
    start = [
        {**_who5(10), "mastery_1": 2, "mastery_2": 2, "mastery_3": 3, "loneliness": 4, "burden": 3},
        {**_who5(12), "mastery_1": 3, "mastery_2": 3, "mastery_3": 3, "loneliness": 3, "burden": 4},
        {**_who5(14), "mastery_1": 1, "mastery_2": 2, "mastery_3": 2, "loneliness": 5, "burden": 2},
        {**_who5(20), "mastery_1": 4, "mastery_2": 3, "mastery_3": 4, "loneliness": 2, "burden": 1},
        {**_who5(6), "mastery_1": 2, "mastery_2": 1, "mastery_3": 2, "loneliness": 4, "burden": 5},
    ]
    end = [
        {**_who5(13), "mastery_1": 3, "mastery_2": 2, "mastery_3": 3, "loneliness": 3, "burden": 3,
         "experience_overall": 1, "overall_effect": 1, "statement_clarity": 1, "meaning_social": 2},
        {**_who5(12), "mastery_1": 3, "mastery_2": 4, "mastery_3": 3, "loneliness": 3, "burden": 4,
         "experience_overall": 1, "overall_effect": 2, "statement_clarity": 2, "meaning_social": 2},
        {**_who5(18), "mastery_1": 2, "mastery_2": 2, "mastery_3": 2, "loneliness": 4, "burden": 3,
         "experience_overall": 2, "overall_effect": 2, "statement_clarity": 2, "meaning_social": 5},
        {**_who5(21), "mastery_1": 4, "mastery_2": 4, "mastery_3": 4, "loneliness": 1, "burden": 1,
         "experience_overall": 3, "overall_effect": 3, "statement_clarity": 5, "meaning_social": None},
        {"who5_1": 2, "mastery_1": 2, "mastery_2": 2, "mastery_3": 2, "loneliness": 4, "burden": 4,
         "experience_overall": None, "overall_effect": 1, "statement_clarity": 3, "meaning_social": 1},
    ]
    baseline = [{"id": f"p{i}", **r} for i, r in enumerate(start)]
    followup = [{"id": f"p{i}", "still_enrolled": 0, **r} for i, r in enumerate(end)]
    return make_edition(baseline=baseline, followup=followup)


@pytest.fixture(params=["small", "fake", "ed"])
def edition(request):
    """Every figure test runs on the hand-made, the random and the synthetic edition."""
    return request.getfixturevalue(request.param)


def _by_gid(fig: Figure, gid: str, kind=object):
    found = [a for a in fig.findobj(lambda a: a.get_gid() == gid) if isinstance(a, kind)]
    assert found, f"no artist with gid {gid!r}"
    return found


def _texts(fig: Figure) -> list[str]:
    fig.draw_without_rendering()  # resolves tick labels
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def _note(fig: Figure) -> str:
    return _by_gid(fig, "note", Text)[0].get_text().replace("\u00a0", " ").replace("\n", " ")


def _check_paired(fig: Figure, ed, score: str) -> None:
    row = summarise_paired(ed, edition_scores(ed), score).iloc[0]
    long = summarise_paired_long(ed, edition_scores(ed), score)
    means = _by_gid(fig, "means", Line2D)[0]
    assert means.get_ydata() == pytest.approx([row["mean_start"], row["mean_end"]], nan_ok=True)
    lines = _by_gid(fig, "individual", LineCollection)[0] if row["n"] else None
    if lines is not None:
        # One line per distinct (start, end) trajectory, its opacity that of
        # as many stacked respondent lines (alpha per respondent as before).
        wide = long.pivot(index="id", columns="time", values="value")
        expected = Counter(zip(wide["Start"], wide["Afslutning"]))
        assert sum(expected.values()) == row["n"]
        segs = lines.get_segments()
        drawn = [(float(s[0][1]), float(s[1][1])) for s in segs]
        assert all(s[0][0] == 0 and s[1][0] == 1 for s in segs)
        assert sorted(drawn) == sorted(expected)
        alpha = float(np.clip(6.0 / row["n"], 0.12, 0.4))
        opacity = dict(zip(drawn, lines.get_colors()[:, 3]))
        for pair, count in expected.items():
            assert opacity[pair] == pytest.approx(min(1 - (1 - alpha) ** count, 0.75))
        decimals = 0 if score == "who5" else 2
        assert _by_gid(fig, "label_start", Text)[0].get_text() == fmt.num(row["mean_start"], decimals)
        assert _by_gid(fig, "label_end", Text)[0].get_text() == fmt.num(row["mean_end"], decimals)
    assert f"Baseret på de samme {fmt.count(row['n'])} unge, der har besvaret spørgeskemaet både ved start og afslutning" in _note(fig)


def _check_reader_rules(fig: Figure) -> None:
    """Size, fonts, no titles, Danish numbers, nothing outside the page."""
    assert fig.get_size_inches()[0] == pytest.approx(16 / 2.54)
    texts = _texts(fig)
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text():
            assert t.get_fontsize() >= 8, t.get_text()
    assert all(ax.get_title() == "" for ax in fig.axes)
    assert fig._suptitle is None
    # Danish decimals: no "1.5"; percentages with a space ("12 %").
    joined = " ".join(texts)
    assert not re.search(r"\d\.\d", joined), joined
    assert not re.search(r"\d%", joined), joined
    bbox = fig.get_tightbbox(fig._get_renderer())
    assert bbox.x0 >= -0.01 and bbox.x1 <= fig.get_size_inches()[0] + 0.01


# --- chapter 6 -----------------------------------------------------------------

@pytest.mark.twin
def test_fig_mastery(edition):
    fig = figures.fig_mastery(edition)
    _check_paired(fig, edition, "mastery")
    _check_reader_rules(fig)
    ax = fig.axes[0]
    assert ax.get_ylim()[0] < 3 <= ax.get_yticks()[0] and ax.get_yticks()[-1] == 12


@pytest.mark.twin
def test_fig_loneliness(edition):
    fig = figures.fig_loneliness(edition)
    _check_paired(fig, edition, "loneliness")
    _check_reader_rules(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("1 Aldrig") and labels[-1].startswith("5 Meget ofte")


@pytest.mark.twin
def test_fig_burden(edition):
    fig = figures.fig_burden(edition)
    _check_paired(fig, edition, "burden")
    _check_reader_rules(fig)


@pytest.mark.twin
def test_fig_who5(edition):
    fig = figures.fig_who5(edition)
    _check_paired(fig, edition, "who5")
    _check_reader_rules(fig)
    ref = _by_gid(fig, "population_mean", Line2D)[0]
    assert list(ref.get_ydata()) == [68, 68]
    assert ref.get_linestyle() == "--"
    assert "68" in _by_gid(fig, "population_label", Text)[0].get_text()
    bands = summarise_who5_bands(edition, edition_scores(edition))
    for band in (1, 2, 3):
        bars = _by_gid(fig, f"share_band_{band}", Rectangle)
        expected = bands[bands["band"] == band].set_index("time").loc[["start", "end"], "pct"]
        assert [p.get_height() for p in bars] == pytest.approx(np.nan_to_num(expected.to_numpy()))
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert any("36–50" in lbl for lbl in labels)
    # The shares are printed on the bars, e.g. "27,5 %".
    texts = _texts(fig)
    for p in bands["pct"]:
        if np.isfinite(p) and p >= 6:
            assert fmt.pct(p, 1, strip_zeros=True) in texts


def test_fig_who5_small_known_values(small):
    # Pairs with WHO-5 at both times: p0 40->52, p1 48->48, p2 56->72, p3 80->84
    # (p4 misses items at the end). Means 56 -> 64.
    fig = figures.fig_who5(small)
    assert _by_gid(fig, "means", Line2D)[0].get_ydata() == pytest.approx([56, 64])
    assert "de samme 4 unge" in _note(fig)
    assert _by_gid(fig, "label_end", Text)[0].get_text() == "64"


def test_fig_paired_no_pairs(make_edition):
    ed = make_edition(baseline=[{"id": "a", "loneliness": 2}], followup=[])
    fig = figures.fig_loneliness(ed)
    assert "de samme 0 unge" in _note(fig)
    assert "Ingen unge" in _by_gid(fig, "change", Text)[0].get_text()


def test_paired_trajectories_counts_distinct_pairs():
    from ipsreport.analysis.disclosed.rules import paired_trajectories

    pairs, counts = paired_trajectories(np.array([1.0, 2, 1, 1, 3, 2]), np.array([2.0, 2, 2, 2, 1, 2]))
    # (1, 2) x3, (2, 2) x2, (3, 1) x1; least frequent first.
    assert pairs.tolist() == [[3, 1], [2, 2], [1, 2]]
    assert counts.tolist() == [1, 2, 3]


def test_trajectory_style_matches_stacked_lines_for_small_groups():
    colours, widths = paired.trajectory_style(np.array([1, 2, 3]), n=20)
    # One respondent line had alpha 6/20 = 0.3; k stacked lines 1 - 0.7**k.
    assert colours[:, 3] == pytest.approx([0.3, 0.51, 0.657])
    assert widths.tolist() == [0.9, 0.9, 0.9]  # below saturation: no widening
    assert colours[0, :3] == pytest.approx(np.array(to_rgba(theme.INDIVIDUAL_COLOUR))[:3])


def test_trajectory_style_widens_saturated_pairs():
    # alpha 0.12 (floor) reaches the 0.75 cap after log(0.25)/log(0.88) ~ 10.8 lines.
    colours, widths = paired.trajectory_style(np.array([5, 10, 500, 5000]), n=10_000)
    assert widths[0] == widths[1] == 0.9
    assert 0.9 < widths[2] < widths[3]
    assert widths[3] == pytest.approx(2.6)
    assert colours[:, 3] == pytest.approx([1 - 0.88**5, 1 - 0.88**10, 0.75, 0.75])


def test_fig_paired_draws_distinct_trajectories_for_a_large_cohort(make_edition):
    rng = np.random.default_rng(7)
    n = 1200
    start, end = rng.integers(1, 6, n).tolist(), rng.integers(1, 6, n).tolist()
    big = make_edition(
        baseline=[{"id": f"p{i}", "loneliness": s} for i, s in enumerate(start)],
        followup=[{"id": f"p{i}", "still_enrolled": 0, "loneliness": e} for i, e in enumerate(end)],
    )
    fig = figures.fig_loneliness(big)
    _check_paired(fig, big, "loneliness")
    # Loneliness is 1-5 at both times: at most 25 lines, however many respondents.
    assert len(_by_gid(fig, "individual", LineCollection)[0].get_segments()) <= 25


# --- Bilag 5 ---------------------------------------------------------------------

def _check_single(fig: Figure, summary) -> None:
    bars = _by_gid(fig, "bars", Rectangle)
    assert [p.get_width() for p in bars] == pytest.approx(np.nan_to_num(summary["pct"].to_numpy()))
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    assert labels == summary["category"].tolist()
    base = summary["base"].iloc[0]
    assert f"Baseret på svar fra {base} unge" in _note(fig)


@pytest.mark.twin
def test_fig_experience(edition):
    fig = figures.fig_experience(edition)
    _check_single(fig, summarise_experience(edition))
    _check_reader_rules(fig)


@pytest.mark.twin
def test_fig_effect(edition):
    fig = figures.fig_effect(edition)
    _check_single(fig, summarise_effect(edition))
    _check_reader_rules(fig)


def test_single_item_bars_one_bar_per_answer_even_with_repeated_labels():
    """seaborn groups bars by category: two answers with the same label must still get a bar each."""
    import pandas as pd

    from ipsreport.outputs.figures.bilag5 import single_item_bars

    summary = pd.DataFrame({"variable": "x", "code": [1, 2, 3], "category": ["Godt", "Godt", "Dårligt"],
                            "n": [5, 3, 2], "base": 10, "pct": [50.0, 30.0, 20.0], "suppression": "",
                            "base_suppressed": False})
    fig = single_item_bars(summary, 0)
    bars = _by_gid(fig, "bars", Rectangle)
    assert [p.get_width() for p in bars] == pytest.approx([50, 30, 20])
    # First answer on top.
    assert [p.get_y() + p.get_height() / 2 for p in bars] == pytest.approx([0, 1, 2])
    assert fig.axes[0].yaxis_inverted()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Godt", "Godt", "Dårligt"]


@pytest.mark.twin
def test_fig_statements(edition):
    fig = figures.fig_statements(edition)
    summary = summarise_statements(edition)
    items = list(dict.fromkeys(summary["variable"]))
    left = np.zeros(len(items))
    for code in summary["code"].unique():
        pct = summary[summary["code"] == code].set_index("variable").loc[items, "pct"].to_numpy()
        bars = _by_gid(fig, f"code_{code}", Rectangle)
        assert [p.get_width() for p in bars] == pytest.approx(np.nan_to_num(pct))
        assert [p.get_x() for p in bars] == pytest.approx(left)
        left += np.nan_to_num(pct)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["I meget høj grad", "I høj grad", "I nogen grad", "I mindre grad", "Slet ikke"]
    _check_reader_rules(fig)


def test_fig_statements_small_known_values(small):
    fig = figures.fig_statements(small)
    # statement_clarity answers 1, 2, 2, 5, 3 -> "I høj grad" 40 %.
    bars = _by_gid(fig, "code_2", Rectangle)
    assert bars[0].get_width() == pytest.approx(40.0)
    assert "40 %" in _texts(fig)


# --- theme, object API, formatting, SVG --------------------------------------------

def test_figures_do_not_use_pyplot(small):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for name in ALL:
        fig = getattr(figures, name)(small)
        assert isinstance(fig, Figure)
    assert plt.get_fignums() == before


def test_danish_number_formatter():
    f = figures.danish_number_formatter()
    assert (f(2.5), f(12.0), f(0.25), f(-1.5)) == ("2,5", "12", "0,25", "\u22121,5")
    assert figures.danish_number_formatter(1)(3) == "3,0"


def test_theme_palette_reads_in_greyscale():
    # Sequential steps must differ clearly in lightness (greyscale print).
    from matplotlib.colors import to_rgb

    def grey(c):
        r, g, b = to_rgb(c)
        return 0.299 * r + 0.587 * g + 0.114 * b

    greys = [grey(c) for c in theme.SEQUENTIAL]
    assert all(b - a > 0.1 for a, b in zip(greys, greys[1:]))
    assert grey(theme.START_COLOUR) - grey(theme.END_COLOUR) > 0.3
    assert theme.sequential(3) == [theme.SEQUENTIAL[0], theme.SEQUENTIAL[2], theme.SEQUENTIAL[4]]


def test_svg_keeps_danish_letters_through_typst(small, tmp_path):
    """Glyphs are stored as outlines (no font fallback) and Typst renders the SVG."""
    import typst

    fig = figures.fig_who5(small)
    svg = tmp_path / "who5.svg"
    with theme.theme():
        fig.savefig(svg, format="svg", metadata={"Date": None})
    text = svg.read_text(encoding="utf-8")
    assert "<text" not in text  # svg.fonttype = "path"
    doc = tmp_path / "doc.typ"
    doc.write_text('#set page(width: 18cm, height: auto)\n#image("who5.svg", width: 16cm)\n', encoding="utf-8")
    pdf = typst.compile(str(doc))
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000


def test_alt_text(small):
    row = summarise_paired(small, edition_scores(small), "who5").iloc[0]
    text = figures.alt_text("fig_who5", small)
    assert f"fra {fmt.num(row['mean_start'], 0)} ved start til {fmt.num(row['mean_end'], 0)}" in text
    assert "de samme 4 unge" in text and "68" in text
    assert figures.alt_text("fig-who5", small) == figures.alt_text("who5", small) == text
    mastery = summarise_paired(small, edition_scores(small), "mastery").iloc[0]
    assert fmt.num(mastery["mean_start"], 2) in figures.alt_text("fig_mastery", small)
    exp = figures.alt_text("fig_experience", small)
    assert "Meget godt 50 %" in exp and "4 unge" in exp
    # statement_clarity answers 1, 2, 2, 5, 3: 60 % "i høj" or "i meget høj grad".
    assert "hvad jeg vil med job og uddannelse: 60 %" in figures.alt_text("fig_statements", small)
    with pytest.raises(KeyError, match="no figure"):
        figures.alt_text("fig_nonsense", small)


@pytest.mark.twin
@pytest.mark.parametrize("name", ALL)
def test_alt_text_every_figure(edition, name):
    text = figures.alt_text(name, edition)
    assert len(text) > 40 and not re.search(r"\d\.\d", text)
    assert not _HYPHEN_NUMBERS.findall(text), text


#: A hyphen used as a minus ("-0,61") or between the ends of a range ("36-50").
_HYPHEN_NUMBERS = re.compile(r"(?:^|[\s(\[:;])-\d|\d\s?-\s?\d")


@pytest.mark.twin
@pytest.mark.parametrize("name", ALL)
def test_figure_text_uses_minus_signs_and_en_dashes(edition, name):
    """Every label, tick, annotation and note: a negative number has U+2212, a range an en dash."""
    fig = getattr(figures, name)(edition)
    bad = [t for t in _texts(fig) if _HYPHEN_NUMBERS.search(t)]
    assert not bad, bad


def test_negative_ticks_and_interval_annotations_print_a_minus_sign():
    """The theme's default tick formatter and the change annotation both print U+2212."""
    from matplotlib.figure import Figure

    with theme.theme():
        fig = Figure()
        ax = fig.add_subplot()
        ax.plot([-2, 2], [-1, 1])
        fig.draw_without_rendering()
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text().strip()]
    assert any(t.startswith("\u2212") for t in ticks) and not any("-" in t for t in ticks), ticks
    import pandas as pd

    row = pd.Series({"n": 40, "diff": -0.2, "ci_low": -0.61, "ci_high": 0.96, "p_ttest": 0.4, "significant": False,
                     "reason": ""})
    text = paired._change_text(row, 2)
    assert "Ændring i gennemsnit: \u22120,20" in text and "\u22120,61 til 0,96" in text, text


# --- notes and labels stay inside the figure -------------------------------------


def test_long_note_wraps_to_the_figure_width():
    # A note far longer than one line: every printed line is narrower than
    # the figure (measured in the real font), and the words are all kept.
    text = "Note: " + " ".join(["Ændring i gennemsnit: +2,0 point (95 %-konfidensinterval: \u22126,1 til 10,1)"] * 4)
    lines = layout.note_lines(text, theme.WIDTH_IN)
    assert len(lines) >= 3
    for line in lines:
        assert layout.text_width_in(line, theme.SMALL_SIZE) <= theme.WIDTH_IN
    assert " ".join(lines).replace("\u00a0", " ") == text


def test_text_width_is_measured_not_counted():
    # 40 "W" are much wider than 40 "i": a character count would treat them alike.
    wide = layout.text_width_in("W" * 40, theme.SMALL_SIZE)
    narrow = layout.text_width_in("i" * 40, theme.SMALL_SIZE)
    assert wide > 2.5 * narrow


@pytest.mark.twin
def test_fig_who5_note_and_labels_fit(edition):
    fig = figures.fig_who5(edition)
    fig.draw_without_rendering()  # runs the layout engine
    renderer = fig._get_renderer()
    note = _by_gid(fig, "note", Text)[0].get_window_extent(renderer)
    assert note.x0 >= 0 and note.x1 <= fig.bbox.x1  # not cut at the right edge
    # The note lies below everything drawn in the axes (tick labels included).
    for ax in fig.axes:
        assert note.y1 <= ax.get_tightbbox(renderer).y0 + 1
    # The population label does not touch the band names on the right axis.
    label = _by_gid(fig, "population_label", Text)[0].get_window_extent(renderer)
    band_axis = next(ax for ax in fig.axes if ax.get_gid() == "band_labels")
    for tick in band_axis.get_yticklabels():
        assert not label.overlaps(tick.get_window_extent(renderer)), tick.get_text()
