"""Case appendices (Bilag 1-4) from structured files.

Each case of the qualitative case study lives in ``data/cases/<name>.yml``
(Danish content, pseudonyms only). This module validates the files, turns a
case into the Pandoc markdown of its appendix through one template, gives the
short vignettes used in chapters 4 and 5, and draws a dated timeline.

A chapter prints the markdown from an ``output: asis`` cell::

    print(ips.case_appendix("frederik"))

Adding next year's case is adding a YAML file and a three-cell ``.qmd``.

Schema of a case file (all fields required unless marked optional):

``pseudonym`` (str), ``age`` (int, age when the case was written),
``written`` ("YYYY-MM"), ``consultant`` (str, pseudonym), ``order`` (int >= 1,
the appendix order, unique), ``focus``, ``background``, ``vignette`` (str),
``highlight`` (str, optional: the longer box used in chapter 5),
``timeline`` (list of ``{date: "YYYY-MM" | YYYY-MM-DD, kind, text, approx?, when?}``
with ``kind`` one of :data:`EVENT_KINDS`, in chronological order and not
after ``written``), ``supports`` (list of str), ``quotes`` (2-3 of
``{who, text}``), ``lessons`` (list of str, optional), ``story`` (list of
``{heading, text}``), ``advice`` (str).

A case holds what the case study says. Where it gives no month for an
event, the event is ``approx: true`` and ``when`` says the time as the
source gives it ("sommeren 2024", "2023, måned ikke oplyst"); ``date`` then
only places the marker on the timeline, which draws it hollow and says so in
the legend. No month is printed that the source does not give.
``lessons`` are the learning points the case study itself states (printed
as the consultant's learning); leave the field out when it states none.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "EVENT_KINDS",
    "CaseError",
    "Case",
    "TimelineEvent",
    "Markdown",
    "load_case",
    "load_cases",
    "case_appendix",
    "case_vignette",
    "show_case",
    "fig_case_timeline",
    "danish_month",
]

#: Event kinds of a timeline and their Danish labels (legend order).
EVENT_KINDS: dict[str, str] = {
    "start": "Opstart",
    "placement": "Virksomhedspraktik",
    "job": "Job",
    "education": "Uddannelse",
    "admission": "Indlæggelse",
    "aftercare": "Efterværn",
    "other": "Andet",
}
#: Marker per kind: kinds differ by shape, not only by colour.
_MARKERS = {"start": "o", "placement": "s", "job": "D", "education": "^", "admission": "v", "aftercare": "h", "other": "p"}

_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december")
_MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

_FIELDS = {
    "pseudonym": str,
    "age": int,
    "written": str,
    "consultant": str,
    "order": int,
    "focus": str,
    "background": str,
    "vignette": str,
    "highlight": str,
    "timeline": list,
    "supports": list,
    "quotes": list,
    "lessons": list,
    "story": list,
    "advice": str,
}
_OPTIONAL = {"highlight", "lessons"}
#: Legend entry of hollow markers: the date is only the marker's place on the axis.
APPROX_LEGEND = "Tidspunkt ikke præcist oplyst"
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class CaseError(ValueError):
    """A case file breaks the schema; the message names file, field and rule."""


class Markdown(str):
    """Pandoc markdown that shows as itself (not quoted) in a notebook cell."""

    def __repr__(self) -> str:
        return str.__str__(self)

    def _repr_markdown_(self) -> str:
        return str.__str__(self)


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event of a case."""

    date: dt.date
    day_known: bool  # False when only year and month are given
    kind: str
    text: str
    approx: bool = False
    when: str | None = None  # the time as the source gives it, for an approximate date

    @property
    def label(self) -> str:
        """Danish date label: "7. juni 2023", "juni 2023", or for an approximate date its ``when``."""
        if self.when:
            return self.when
        text = danish_month(self.date)
        return f"{self.date.day}. {text}" if self.day_known else text


@dataclass(frozen=True)
class Quote:
    who: str
    text: str


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


@dataclass(frozen=True)
class Case:
    """A validated case file."""

    key: str
    path: Path
    pseudonym: str
    age: int
    written: dt.date
    consultant: str
    order: int
    focus: str
    background: str
    vignette: str
    highlight: str | None
    timeline: tuple[TimelineEvent, ...]
    supports: tuple[str, ...]
    quotes: tuple[Quote, ...]
    lessons: tuple[str, ...]
    story: tuple[Section, ...]
    advice: str

    @property
    def genitive(self) -> str:
        """Danish genitive of the pseudonym ("Frederiks", "Tobias'")."""
        return self.pseudonym + ("'" if self.pseudonym[-1].lower() in "sxz" else "s")


def danish_month(date: dt.date, short: bool = False) -> str:
    """Danish "month year" label, e.g. ``"oktober 2023"`` (``"okt 2023"`` if short)."""
    names = _MONTHS_SHORT if short else _MONTHS
    return f"{names[date.month - 1]} {date.year}"


def _fail(path: Path, field: str, rule: str) -> CaseError:
    return CaseError(f"{path.name}: field '{field}': {rule}")


def _text(path: Path, field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, field, f"must be a non-empty text (got {value!r})")
    return value.strip()


def _texts(path: Path, field: str, value: Any, min_len: int = 1) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) < min_len:
        raise _fail(path, field, f"must be a list with at least {min_len} item(s)")
    return tuple(_text(path, f"{field}[{i}]", v) for i, v in enumerate(value))


def _mapping(path: Path, field: str, value: Any, keys: set[str], optional: set[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        raise _fail(path, field, f"must be a mapping with keys {sorted(keys)}")
    unknown = set(value) - keys - set(optional)
    if unknown:
        raise _fail(path, field, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(keys | set(optional))}")
    missing = keys - set(value)
    if missing:
        raise _fail(path, field, f"missing key(s) {sorted(missing)}")
    return value


def _parse_month(path: Path, field: str, value: Any) -> dt.date:
    match = _MONTH_RE.match(str(value)) if isinstance(value, str) else None
    if not match or not 1 <= int(match[2]) <= 12:
        raise _fail(path, field, f"must be a month written YYYY-MM (got {value!r})")
    return dt.date(int(match[1]), int(match[2]), 1)


def _parse_event_date(path: Path, field: str, value: Any) -> tuple[dt.date, bool]:
    # YAML turns 2023-06-07 into a date but leaves 2023-06 as text.
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, str) and _DAY_RE.match(value):
        try:
            return dt.date.fromisoformat(value), True
        except ValueError:
            pass
    if isinstance(value, str) and _MONTH_RE.match(value):
        return _parse_month(path, field, value), False
    raise _fail(path, field, f"must be a date written YYYY-MM or YYYY-MM-DD (got {value!r})")


def load_case(path: Path | str) -> Case:
    """Read and validate one case file.

    Parameters
    ----------
    path : Path or str
        A ``.yml`` file following the schema in the module docstring.

    Returns
    -------
    Case

    Raises
    ------
    CaseError
        When a field is missing, unknown, of the wrong type or breaks a rule;
        the message names the file, the field and the rule.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CaseError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CaseError(f"{path.name}: expected a mapping of field: value")
    unknown = set(data) - set(_FIELDS)
    if unknown:
        raise _fail(path, sorted(unknown)[0], f"unknown field; allowed fields: {sorted(_FIELDS)}")
    missing = [k for k in _FIELDS if k not in data and k not in _OPTIONAL]
    if missing:
        raise _fail(path, missing[0], "required field is missing")

    for key in ("age", "order"):
        if not isinstance(data[key], int) or isinstance(data[key], bool):
            raise _fail(path, key, f"must be a whole number (got {data[key]!r})")
    if not 10 <= data["age"] <= 40:
        raise _fail(path, "age", f"must be between 10 and 40 (got {data['age']})")
    if data["order"] < 1:
        raise _fail(path, "order", f"must be 1 or more (got {data['order']})")
    written = _parse_month(path, "written", data["written"])

    if not isinstance(data["timeline"], list) or not data["timeline"]:
        raise _fail(path, "timeline", "must be a non-empty list of events")
    events = []
    for i, raw in enumerate(data["timeline"]):
        field = f"timeline[{i}]"
        raw = _mapping(path, field, raw, {"date", "kind", "text"}, {"approx", "when"})
        date, day_known = _parse_event_date(path, f"{field}.date", raw["date"])
        if raw["kind"] not in EVENT_KINDS:
            raise _fail(path, f"{field}.kind", f"must be one of {list(EVENT_KINDS)} (got {raw['kind']!r})")
        approx = raw.get("approx", False)
        if not isinstance(approx, bool):
            raise _fail(path, f"{field}.approx", f"must be true or false (got {approx!r})")
        when = raw.get("when")
        if approx and when is None:
            raise _fail(path, f"{field}.when", "an approximate date needs 'when': the time as the case study gives it "
                                               "(e.g. 'sommeren 2024' or '2023, måned ikke oplyst'), so no month is "
                                               "invented")
        if when is not None:
            when = _text(path, f"{field}.when", when)
        event = TimelineEvent(date, day_known, raw["kind"], _text(path, f"{field}.text", raw["text"]), approx, when)
        if events and event.date < events[-1].date:
            raise _fail(path, f"{field}.date", f"events must be in chronological order ({event.date} is before {events[-1].date})")
        if (event.date.year, event.date.month) > (written.year, written.month):
            raise _fail(path, f"{field}.date", f"event ({event.date}) lies after the month the case was written ({data['written']})")
        events.append(event)

    if not isinstance(data["quotes"], list) or not 2 <= len(data["quotes"]) <= 3:
        raise _fail(path, "quotes", "must be a list of 2-3 quotes")
    quotes = []
    for i, raw in enumerate(data["quotes"]):
        raw = _mapping(path, f"quotes[{i}]", raw, {"who", "text"})
        quotes.append(Quote(_text(path, f"quotes[{i}].who", raw["who"]), _text(path, f"quotes[{i}].text", raw["text"])))

    if not isinstance(data["story"], list) or not data["story"]:
        raise _fail(path, "story", "must be a non-empty list of {heading, text}")
    story = []
    for i, raw in enumerate(data["story"]):
        raw = _mapping(path, f"story[{i}]", raw, {"heading", "text"})
        story.append(Section(_text(path, f"story[{i}].heading", raw["heading"]), _text(path, f"story[{i}].text", raw["text"])))

    highlight = data.get("highlight")
    return Case(
        key=path.stem,
        path=path,
        pseudonym=_text(path, "pseudonym", data["pseudonym"]),
        age=data["age"],
        written=written,
        consultant=_text(path, "consultant", data["consultant"]),
        order=data["order"],
        focus=_text(path, "focus", data["focus"]),
        background=_text(path, "background", data["background"]),
        vignette=_text(path, "vignette", data["vignette"]),
        highlight=None if highlight is None else _text(path, "highlight", highlight),
        timeline=tuple(events),
        supports=_texts(path, "supports", data["supports"]),
        quotes=tuple(quotes),
        lessons=_texts(path, "lessons", data["lessons"]) if "lessons" in data else (),
        story=tuple(story),
        advice=_text(path, "advice", data["advice"]),
    )


def load_cases(cases_dir: Path | str | None = None) -> dict[str, Case]:
    """Read and validate every case file of a folder.

    Parameters
    ----------
    cases_dir : Path or str, optional
        Folder of ``*.yml`` case files; defaults to ``ipsreport.paths.CASES_DIR``.

    Returns
    -------
    dict of str to Case
        Keyed by file stem (``"frederik"``), in appendix order.

    Raises
    ------
    CaseError
        When a file is invalid or two cases claim the same ``order``.
    """
    from ipsreport.paths import CASES_DIR

    folder = Path(cases_dir) if cases_dir is not None else CASES_DIR
    cases = [load_case(p) for p in sorted(folder.glob("*.yml"))]
    seen: dict[int, Case] = {}
    for case in cases:
        if case.order in seen:
            raise _fail(case.path, "order", f"{case.order} is also used by {seen[case.order].path.name}; each case needs its own appendix order")
        seen[case.order] = case
    return {c.key: c for c in sorted(cases, key=lambda c: c.order)}


def _get(name: str, cases_dir=None) -> Case:
    cases = load_cases(cases_dir)
    key = name.lower()
    if key not in cases:
        raise KeyError(f"no case file {key}.yml; known cases: {list(cases)}")
    return cases[key]


def _danish_quotes(text: str) -> str:
    """Typeset straight double quotes as Danish guillemets: "x" -> »x«."""
    return re.sub(r'"([^"\n]+)"', "\u00bb\\1\u00ab", text)


def _paragraphs(text: str) -> str:
    # Folded YAML (">-") keeps blank lines as "\n"; make them paragraph breaks.
    parts = [p.strip() for p in re.split(r"\n\s*", text.strip()) if p.strip()]
    return "\n\n".join(_danish_quotes(p) for p in parts)


def _quote_block(text: str, who: str | None = None) -> str:
    lines = [f"> \u00bb{text}\u00ab"]
    if who:
        lines += [">", f"> \u2014 {who}"]
    return "\n".join(lines)


def case_appendix(name: str, cases_dir: Path | str | None = None) -> Markdown:
    """Pandoc markdown for the body of a case appendix.

    The appendix heading itself stays in the ``.qmd`` file (so the render
    engine can number it as "Bilag n"); this returns everything below it.

    Parameters
    ----------
    name : str
        Case key, the file stem (``"frederik"``).
    cases_dir : Path or str, optional
        Folder of case files; defaults to ``ipsreport.paths.CASES_DIR``.

    Returns
    -------
    Markdown
        A ``str``; print it from an ``output: asis`` cell.
    """
    case = _get(name, cases_dir)
    out = [
        f"*{case.pseudonym}, {case.age} år. Casen er skrevet i {danish_month(case.written)}. "
        f"IPS-konsulent: {case.consultant} (navnene er pseudonymer).*",
        f"**Fokus:** {case.focus}",
        f"## Om {case.pseudonym} {{.unlisted}}",
        _paragraphs(case.background),
        "## Forløbet i korte træk {.unlisted}",
        "\n".join(f"- **{e.label}** \u2013 *{EVENT_KINDS[e.kind]}*: {e.text}" for e in case.timeline),
    ]
    for section in case.story:
        out += [f"## {section.heading} {{.unlisted}}", _paragraphs(section.text)]
    out += ["## Støtte undervejs {.unlisted}", "\n".join(f"- {s}" for s in case.supports)]
    out += ["## Sagt i interviewene {.unlisted}", "\n\n".join(_quote_block(q.text, q.who) for q in case.quotes)]
    if case.lessons:
        consultant = case.consultant + ("'" if case.consultant[-1].lower() in "sxz" else "s")
        out += [f"## {consultant} læring fra forløbet {{.unlisted}}", "\n".join(f"- {s}" for s in case.lessons)]
    out += [f"## {case.genitive} råd til andre unge i IPS UNG {{.unlisted}}", _quote_block(case.advice)]
    return Markdown("\n\n".join(out) + "\n")


def case_vignette(name: str, which: str = "intro", cases_dir: Path | str | None = None) -> Markdown:
    """Markdown for a case box in the chapters.

    Parameters
    ----------
    name : str
        Case key (``"frederik"``).
    which : {"intro", "highlight"}
        ``"intro"``: the short profile of chapter 4 (field ``vignette``);
        ``"highlight"``: the longer illustration of chapter 5 (field
        ``highlight``).
    cases_dir : Path or str, optional
        Folder of case files.

    Returns
    -------
    Markdown
        A block quote headed by the case number and pseudonym; print it from
        an ``output: asis`` cell.
    """
    case = _get(name, cases_dir)
    if which == "intro":
        body = case.vignette
    elif which == "highlight":
        if case.highlight is None:
            raise _fail(case.path, "highlight", "is needed for case_vignette(which='highlight')")
        body = case.highlight
    else:
        raise ValueError(f"which must be 'intro' or 'highlight', not {which!r}")
    text = _paragraphs(body).replace("\n\n", "\n>\n> ")
    return Markdown(f"> **Case {case.order}: {case.pseudonym}**\n>\n> {text}\n")


def show_case(name: str, cases_dir: Path | str | None = None) -> None:
    """Print :func:`case_appendix` (for an ``output: asis`` cell)."""
    print(case_appendix(name, cases_dir))


def _tick_label(value: float, _pos=None) -> str:
    import matplotlib.dates as mdates

    date = mdates.num2date(value)
    return f"{_MONTHS_SHORT[date.month - 1]}\n{date.year}"


def fig_case_timeline(name: str, cases_dir: Path | str | None = None):
    """Dated timeline of a case's events.

    Events are drawn on one time axis with Danish month labels; each kind has
    its own marker and shade (listed in the legend), approximate dates have
    hollow markers, and each event is labelled with its date and text,
    alternating above and below the axis.

    Parameters
    ----------
    name : str
        Case key (``"frederik"``).
    cases_dir : Path or str, optional
        Folder of case files.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    from ipsreport import theme as th

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    case = _get(name, cases_dir)
    kinds = [k for k in EVENT_KINDS if any(e.kind == k for e in case.timeline)]
    shades = (th.SEQUENTIAL[0], th.SEQUENTIAL[1], th.SEQUENTIAL[0], th.SEQUENTIAL[1], th.SEQUENTIAL[2], th.SEQUENTIAL[2], "#6b6b6b")
    colours = dict(zip(EVENT_KINDS, shades))
    # Label rows above (+) and below (-) the axis, nearest first.
    levels = (1.0, -1.0, 2.6, -2.6, 4.2, -4.2)
    with th.theme():
        fig = Figure(figsize=(th.WIDTH_IN, 11 * th.CM))
        FigureCanvasAgg(fig)  # a renderer to measure label sizes with
        renderer = fig.canvas.get_renderer()
        ax = fig.add_axes((0.02, 0.24, 0.96, 0.74))
        dates = [mdates.date2num(e.date) for e in case.timeline]
        pad = 45
        ax.set_xlim(min(dates) - pad, max(dates) + pad)
        ax.set_ylim(-6.0, 6.0)
        ax.axhline(0, color="#8c8c8c", linewidth=0.8, zorder=1)
        placed: list = []  # display-space boxes of labels and stems already drawn
        for i, (event, x) in enumerate(zip(case.timeline, dates)):
            label = f"{event.label}\n" + "\n".join(textwrap.wrap(event.text, 30))
            side = (1, -1) if i % 2 == 0 else (-1, 1)
            candidates = [(lv, ha) for lv in sorted(levels, key=lambda v: (abs(v), side.index(1 if v > 0 else -1))) for ha in ("center", "left", "right")]
            best = None
            for level, ha in candidates:
                text = ax.annotate(
                    label, (x, level), ha=ha, va="bottom" if level > 0 else "top",
                    fontsize=th.SMALL_SIZE, color=th.TEXT_COLOUR, multialignment=ha if ha != "center" else "center",
                )
                box = text.get_window_extent(renderer).expanded(1.04, 1.08)
                stem = ax.transData.transform([(x, 0), (x, level)])
                stem_box = type(box).from_extents(stem[0][0] - 2, min(stem[:, 1]), stem[0][0] + 2, max(stem[:, 1]))
                axes_box = ax.get_window_extent(renderer)
                cost = sum(_overlap_area(box, b) + _overlap_area(stem_box, b) for b in placed)
                cost += box.width * box.height - _overlap_area(box, axes_box)  # outside the axes
                if best is None or cost < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (cost, text, box, stem_box, level)
                else:
                    text.remove()
                if cost == 0:
                    break
            _, text, box, stem_box, level = best
            placed += [box, stem_box]
            # Events on the same date are stacked along their stem, not hidden.
            repeat = dates[:i].count(x)
            y = 0.4 * repeat * (1 if level > 0 else -1)
            colour = colours[event.kind]
            ax.vlines(x, 0, level, color="#b0b0b0", linewidth=0.6, zorder=1)
            ax.scatter(
                [x], [y], s=46, marker=_MARKERS[event.kind], zorder=3,
                facecolors="white" if event.approx else colour, edgecolors=colour, linewidths=1.2,
            )
        _crop_timeline(fig, ax, placed, renderer)
        ax.yaxis.set_visible(False)
        ax.spines["left"].set_visible(False)
        span_months = (max(dates) - min(dates)) / 30.4
        interval = 1 if span_months <= 8 else 2 if span_months <= 16 else 3
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=interval))
        ax.xaxis.set_major_formatter(FuncFormatter(_tick_label))
        handles = [
            Line2D([], [], linestyle="", marker=_MARKERS[k], markersize=6, markerfacecolor=colours[k], markeredgecolor=colours[k], label=EVENT_KINDS[k])
            for k in kinds
        ]
        if any(e.approx for e in case.timeline):
            handles.append(
                Line2D([], [], linestyle="", marker="o", markersize=6, markerfacecolor="white", markeredgecolor="#6b6b6b", label=APPROX_LEGEND)
            )
        # One legend row when it fits the page width, else two even rows.
        ncols = len(handles) if len(handles) <= 5 else -(-len(handles) // 2)
        fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=ncols)
    return fig


def _crop_timeline(fig, ax, placed: list, renderer) -> None:
    """Shrink the timeline to the rows of labels actually used.

    The labels are placed on a fixed grid of rows (up to three above and
    three below the axis); most cases use only one or two, which would leave
    a tall empty band between the labels and the month axis. The figure is
    made shorter by exactly the unused part, so the scale of the drawing (and
    every label's position relative to its neighbours) stays the same.
    """
    to_data = ax.transData.inverted()
    ys = [0.0]
    for box in placed:
        (_, y0), (_, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        ys += [y0, y1]
    y_low, y_high = ax.get_ylim()
    low = max(y_low, min(ys) - 0.5)
    high = min(y_high, max(ys) + 0.3)
    if high - low >= 0.95 * (y_high - y_low):
        return
    height = fig.get_figheight()
    pos = ax.get_position()
    bottom_in, axes_in, top_in = pos.y0 * height, pos.height * height, (1 - pos.y1) * height
    new_axes_in = axes_in * (high - low) / (y_high - y_low)
    new_height = bottom_in + new_axes_in + top_in
    fig.set_figheight(new_height)
    ax.set_position((pos.x0, bottom_in / new_height, pos.width, new_axes_in / new_height))
    ax.set_ylim(low, high)


def _overlap_area(a, b) -> float:
    """Area shared by two display-space bounding boxes."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0.0) * max(h, 0.0)
