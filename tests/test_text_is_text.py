"""Text from files is text (issue 17): case files and text settings never run as markup.

Two layers, both tested here with the payloads of the issue:

* :func:`ipsreport.inputs.plaintext.check` refuses markup when a case file or a
  setting is read (a Danish message naming file or layer, field and value);
* :func:`ipsreport.inputs.plaintext.inline_markdown` / ``block_markdown`` are the only
  way such text enters pandoc markdown: whatever they are given, pandoc reads
  nothing but text, emphasis and bullet lists from it (checked on pandoc's own
  syntax tree, for the payloads and for random text), and Typst prints it as
  written (``#read(…)`` and ``#str(6*7)`` compiled into a PDF).

The rendered book in a browser: ``tests/test_text_is_text_render.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsreport.inputs import plaintext
from ipsreport.outputs.cases import CaseError, case_appendix, case_vignette, load_case
from ipsreport.paths import PROJECT_DIR
from ipsreport.inputs.plaintext import PlainTextError, block_markdown, check, inline_markdown, plain
from ipsreport.render.pandoc import run_pandoc
from ipsreport.config.settings import SettingsError, get_settings
from test_cases import write_case

#: The issue's payloads that are markup: refused when read.
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "`<script>alert(2)</script>`{=html}"
JS_LINK = "[klik](javascript:alert(3))"
TYPST_RAW = "`#str(6*7)`{=typst}"
#: The issue's payload that is plain text to pandoc: printed as written.
TYPST_READ = '#read("/index.html")'

REFUSED = [
    (IMG, "html"),
    (SCRIPT, "råt_format"),
    (JS_LINK, "adresse"),
    (TYPST_RAW, "råt_format"),
    ("Se <!-- skjult --> her", "html"),
    ("slut</p>", "html"),
    ("<https://example.org>", "html"),
    ("```{=latex}\n\\input{/etc/passwd}\n```", "råt_format"),
    ("`x`{ = typst }", "råt_format"),
    ("\\textbf{fed}", "latex"),
    ("\\input{/etc/passwd}", "latex"),
    ("[klik](https://example.org)", "link"),
    ("![billede](data:image/png;base64,AAAA)", "adresse"),
    ("[klik](data:text/html,<script>alert(4)</script>)", "adresse"),
    ("[klik][1]", "link"),
    ("[1]: https://example.org", "link"),
    ("[tekst]{onclick=\"alert(5)\"}", "attributter"),
    ("`kode`{.klasse}", "attributter"),
    ("{#id .klasse}", "attributter"),
    ("::: {.callout}", "attributter"),
    ("javascript:alert(6)", "adresse"),
    ("JavaScript :alert(7)", "adresse"),
    ("vbscript:msgbox", "adresse"),
]

ACCEPTED = [
    TYPST_READ,
    "#str(6*7)",
    "$x$ og $$y$$",
    "@key og mail@example.org",
    "< 3 år",
    "<3 personer",
    "50 % > 40 %",
    "Tobias' råd",
    '"citat"',
    "*kursiv* og **fed** og _kursiv_",
    "- punkt",
    "1. klasse",
    "data: tre kilder",
    "{a}",
    "[sic]",
    "[sic] (ja)",
    "a \\ b og \\1",
    "2 * 3 = 6",
    "#MeToo",
    "`kode`",
    "javascript uden kolon",
    "& og &amp; og &#60;",
    "~~streg~~ og H~2~O og 2^10^",
    "| a | b |",
    ": definition",
    "---",
    "Kl. 10:30 // ikke en kommentar /* heller ikke */",
    "=HYPERLINK(\"x\")",
]


# -- the check ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "rule"), REFUSED)
def test_check_refuses_markup_naming_what_it_found(text, rule):
    with pytest.raises(PlainTextError) as info:
        check(text)
    assert info.value.rule == rule
    assert "ikke tilladt i tekst" in info.value.reason
    assert "docs/text.md" in info.value.reason


@pytest.mark.parametrize("text", [t for t, _ in REFUSED if "\n" not in t])
def test_the_message_quotes_the_markup(text):
    with pytest.raises(PlainTextError) as info:
        check(text)
    assert text[:8] in info.value.reason


@pytest.mark.parametrize("text", ACCEPTED)
def test_check_accepts_plain_text_with_special_characters(text):
    assert check(text) == text


@pytest.mark.parametrize(("refused", "accepted"), [
    ("<a", "< a"),              # a tag needs a letter right after "<"
    ("\\a", "\\1"),            # a LaTeX command needs a letter right after "\"
    ("[x](y)", "[x] (y)"),      # an inline link needs "(" right after "]"
    ("{=html}", "{html}"),      # a raw attribute needs "{="
    ("{a=b}", "{a}"),           # an attribute list needs "=" (or "{." / "{#")
    ("javascript:x", "javascript x"),
])
def test_check_boundaries(refused, accepted):
    with pytest.raises(PlainTextError):
        check(refused)
    assert check(accepted) == accepted


# -- the escaper: pandoc reads nothing but text ---------------------------------

_BLOCKS = {"Para", "Plain", "BulletList"}
_INLINES = {"Str", "Space", "SoftBreak", "Emph", "Strong", "Quoted"}


def _pandoc_ast(markdown: str) -> list:
    """The blocks pandoc's markdown reader (the engine's reader) makes of ``markdown``."""
    return json.loads(run_pandoc(markdown, "markdown", "json"))["blocks"]


def _foreign(node, found: list[str]) -> list[str]:
    """Node types outside the subset anywhere below ``node``."""
    if isinstance(node, list):
        for item in node:
            _foreign(item, found)
    elif isinstance(node, dict) and "t" in node:
        if node["t"] not in _BLOCKS | _INLINES | {"SingleQuote", "DoubleQuote"}:
            found.append(node["t"])
        _foreign(node.get("c"), found)
    return found


def _text(node) -> str:
    """The visible text of an AST (Str and spaces; emphasis and quotes as their content)."""
    if isinstance(node, list):
        return "".join(_text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("t")
    if kind == "Str":
        return node["c"]
    if kind in ("Space", "SoftBreak"):
        return " "
    if kind == "Quoted":
        return _text(node["c"][1])
    return _text(node.get("c"))


@pytest.mark.parametrize("text", [t for t, _ in REFUSED] + ACCEPTED)
def test_escaped_payloads_are_only_text_to_pandoc(text):
    """Even without the check, the escaper leaves pandoc nothing to run: no raw HTML/Typst, link, code, math."""
    for markdown in (inline_markdown(text), block_markdown(text)):
        blocks = _pandoc_ast(markdown)
        assert _foreign(blocks, []) == [], markdown


@pytest.mark.parametrize("text", [IMG, SCRIPT, JS_LINK, TYPST_RAW, TYPST_READ, "\\input{/etc/passwd}", "@key $x$"])
def test_escaped_payloads_print_as_written(text):
    """As written, but for the subset's quotation marks: "x" prints as »x«."""
    assert _text(_pandoc_ast(inline_markdown(text))) == plaintext.danish_quotes(text)


#: Characters pandoc's markdown reader treats specially, plus letters, digits and spaces (not "." or "-":
#: pandoc makes "..." an ellipsis and "--" a dash, typography rather than markup).
_ALPHABET = st.sampled_from(list("#$@<>&\\`[]{}()=|~^:!%+/,;?ab1 \n"))


@settings(max_examples=120, deadline=None)
@given(st.text(_ALPHABET, max_size=40))
def test_any_text_without_subset_markers_reads_back_as_written(text):
    """Property: text of pandoc's special characters comes out of pandoc's reader as the same characters."""
    expected = " ".join(text.split())
    blocks = _pandoc_ast(inline_markdown(text))
    assert _foreign(blocks, []) == []
    assert _text(blocks) == expected


@settings(max_examples=80, deadline=None)
@given(st.text(st.sampled_from(list("*_-\"'#<>`[]{}()=:1a \n")), max_size=40))
def test_any_text_is_at_most_emphasis_quotes_and_lists(text):
    """Property: with the subset's own markers mixed in, pandoc still finds nothing but the subset."""
    assert _foreign(_pandoc_ast(block_markdown(text)), []) == []


@settings(max_examples=80, deadline=None)
@given(st.text(st.sampled_from(list("*_\"#<`[{=:1ab \n")), max_size=30))
def test_the_page_and_the_cover_read_the_same(text):
    """Property: what pandoc prints of the markdown is what :func:`plain` gives the cover and the figures."""
    assert _text(_pandoc_ast(inline_markdown(text))) == plain(text)


def test_a_stray_marker_never_pairs_with_the_text_around_it():
    """Two values in one sentence (the issue's municipality and funder): no emphasis across them."""
    md = f"I {inline_markdown('#str(6*7)')} med støtte fra {inline_markdown('`x` og *Fonden*')}."
    assert _text(_pandoc_ast(md)) == "I #str(6*7) med støtte fra `x` og Fonden."
    assert [n["t"] for n in _pandoc_ast(md)[0]["c"]].count("Emph") == 1


def test_the_subset_is_kept():
    blocks = _pandoc_ast(block_markdown('Hun sagde "ja" med *vægt* og **fed**.\n- første\n- anden\nSlut.'))
    assert [b["t"] for b in blocks] == ["Para", "BulletList", "Para"]
    assert _text(blocks[0]) == "Hun sagde »ja« med vægt og fed."
    inlines = [n["t"] for n in blocks[0]["c"]]
    assert "Emph" in inlines and "Strong" in inlines
    assert [_text(item) for item in blocks[1]["c"]] == ["første", "anden"]


def test_line_starts_are_no_lists_or_rules_in_a_sentence():
    for text in ("1. klasse", "a) b", "(iv) x", "- x", "* x", "***", "_ _ _"):
        assert [b["t"] for b in _pandoc_ast(inline_markdown(text))] == ["Para"], text


def test_plain_drops_the_subset_markers():
    assert plain('*Kursiv*, **fed** og "citat"\nnæste linje') == "Kursiv, fed og »citat« næste linje"
    assert plain("snake_case_navn og 2 * 3") == "snake_case_navn og 2 * 3"
    assert plain(TYPST_READ) == "#read(»/index.html«)"


# -- Typst prints the text as written ----------------------------------------


def test_typst_prints_the_payloads_as_written(tmp_path):
    """``#read`` and ``#str(6*7)`` in text and on the cover print as themselves, never run."""
    from pypdf import PdfReader

    from ipsreport.book.hooks import cover
    from ipsreport.render.typst import book_arguments, compile_book, convert_chapter

    (tmp_path / "index.html").write_text("HEMMELIGT-INDHOLD", encoding="utf-8")
    texts = [TYPST_READ, "#str(6*7)", "$#str(6*7)$", "@key", "<hemmelig>", "a // b /* c */", "\\ og *x*"]
    md = "\n\n".join(block_markdown(t) for t in texts) + "\n\n" + block_markdown(TYPST_RAW)
    typ = convert_chapter(md, "test")
    s = get_settings({"evaluator": TYPST_READ, "funder": "#str(6*7)", "title": "#read(\"index.html\")"})
    c = cover(s, tmp_path)
    meta = {"title": c.title, "subtitle": c.subtitle, "edition": c.edition, "lines": list(c.lines), "notice": ""}
    assert set(book_arguments(meta)) >= {"title", "lines"}
    pdf = compile_book(tmp_path, [typ], meta, "t.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "HEMMELIGT" not in text
    assert "42" not in text
    flat = " ".join(text.split())
    read = plain(TYPST_READ)  # the quotation marks typeset as »«, the rest as written
    assert read in flat and "#str(6*7)" in flat and "$#str(6*7)$" in flat and "@key" in flat
    assert "a // b /* c */" in flat and "<hemmelig>" in flat
    assert "Evaluering: " + read in flat
    assert "Finansieret af: #str(6*7)" in flat


# -- case files -----------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "where", "rule"), [
    ("focus", IMG, "focus", "html"),
    ("focus", SCRIPT, "focus", "råt_format"),
    ("supports", [JS_LINK], "supports[0]", "adresse"),
    ("supports", ["Samtaler", TYPST_RAW], "supports[1]", "råt_format"),
    ("advice", "Læs \\input{x}", "advice", "latex"),
    ("quotes", [{"who": "<b>Ida</b>", "text": "Ja."}, {"who": "Bo", "text": "Nej."}], "quotes[0].who", "html"),
])
def test_case_file_markup_is_refused_naming_file_field_and_value(tmp_path, field, value, where, rule):
    path = write_case(tmp_path, **{field: value})
    with pytest.raises(CaseError) as info:
        load_case(path)
    message = str(info.value)
    assert message.startswith(f"ida.yml, feltet {where}: værdien \"")
    bad = value if isinstance(value, str) else (value[-1] if isinstance(value[-1], str) else value[0]["who"])
    assert bad in message
    assert f"(regel: {rule})" in message
    assert str(path) in message


def test_every_text_field_of_a_case_is_checked(tmp_path):
    """The timeline's text and ``when``, story headings, lessons: all go through the one check."""
    path = write_case(tmp_path, timeline=[{"date": "2024-01", "kind": "start", "text": IMG, "approx": True,
                                           "when": TYPST_RAW}],
                      story=[{"heading": JS_LINK, "text": "x"}], lessons=["\\textbf{x}"])
    with pytest.raises(CaseError) as info:
        load_case(path)
    lines = str(info.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "ida.yml, feltet timeline[0].text", "ida.yml, feltet timeline[0].when",
        "ida.yml, feltet lessons[0]", "ida.yml, feltet story[0].heading"]


def test_special_characters_in_a_case_print_as_written(tmp_path):
    # A public staff name is printed as written: its special characters too.
    write_case(tmp_path, focus=TYPST_READ, supports=["#str(6*7) og $x$", "@key <3"],
               entities={"bo": {"kind": "staff", "name": "B$o", "public": True}},
               background='Han sagde "nej".\n- ét punkt\n- to punkter\n1. klasse')
    md = case_appendix("ida", tmp_path)
    blocks = _pandoc_ast(md)
    assert sorted(_foreign(blocks, [])) == ["BlockQuote"] * 3 + ["Header"] * 7
    text = _text(blocks)
    for literal in (plain(TYPST_READ), "#str(6*7) og $x$", "@key <3", "B$os læring", "Han sagde »nej«.", "1. klasse"):
        assert literal in text
    assert '> **Case 1: Ida**\n>\n> Ida var ny' in case_vignette("ida", cases_dir=tmp_path)


def test_shipped_cases_read_as_before():
    """The shipped cases use no markup: pandoc reads the same from them escaped as unescaped."""
    from ipsreport.outputs.cases import load_cases

    for case in load_cases().values():
        texts = [case.background, case.vignette, case.highlight or "x", *(s.text for s in case.story)]
        for text in texts:
            before = "\n\n".join(plaintext.danish_quotes(line.strip()) for line in text.splitlines() if line.strip())
            assert _pandoc_ast(block_markdown(text)) == _pandoc_ast(before)
        for text in [case.focus, *case.supports, *(e.text for e in case.timeline), *(s.heading for s in case.story)]:
            assert _pandoc_ast(inline_markdown(text)) == _pandoc_ast(plaintext.danish_quotes(text))


# -- settings -----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["title", "subtitle", "evaluator", "funder", "municipality"])
@pytest.mark.parametrize(("value", "rule_words"), [(IMG, "HTML-kode"), (SCRIPT, "{=html}"), (JS_LINK, "javascript:"),
                                                    (TYPST_RAW, "{=typst}")])
def test_text_settings_refuse_markup_on_the_command_line(key, value, rule_words):
    with pytest.raises(SettingsError) as info:
        get_settings({key: value})
    message = str(info.value)
    assert message.startswith(f"kommandolinjen (--set): indstillingen {key} har værdien {value!r}, som indeholder ")
    assert rule_words in message
    assert message.endswith("ret værdien.")


def test_text_settings_refuse_markup_in_the_edition_file(tmp_path):
    path = tmp_path / "ipsreport.yml"
    path.write_text(f"municipality: '{IMG}'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"ipsreport\.yml: indstillingen municipality har værdien '<img src=x "
                                            r"onerror=alert\(1\)>', som indeholder HTML-kode"):
        get_settings(edition_file=path)


def test_settings_in_code_and_from_the_kernel_are_checked_too():
    from ipsreport.config.settings import settings_from_json, settings_to_json

    base = get_settings()
    with pytest.raises(SettingsError, match="indstillingen evaluator"):
        base.with_(evaluator=IMG)
    data = json.loads(settings_to_json(base))
    data["funder"] = JS_LINK
    with pytest.raises(SettingsError, match="indstillingen funder"):
        settings_from_json(json.dumps(data))


def test_text_settings_with_special_characters_print_as_written(make_edition):
    from ipsreport.api import facts

    ed = make_edition(evaluator=TYPST_READ, municipality="*Gladsaxe* $ @ <3")
    f = facts(ed)
    assert _text(_pandoc_ast(f"Evalueret af {f.evaluator}.")) == "Evalueret af #read(»/index.html«)."
    assert _text(_pandoc_ast(f.municipality)) == "Gladsaxe $ @ <3"


def test_cover_prints_plain_text():
    from ipsreport.book.hooks import cover

    s = get_settings({"evaluator": "*DEFACTUM*", "title": 'Evaluering af "IPS UNG"'})
    c = cover(s, PROJECT_DIR / "data" / "synthetic")
    assert c.lines[0] == "Evaluering: DEFACTUM"
    assert c.title == "Evaluering af »IPS UNG«"


def test_render_refuses_markup_in_a_setting_before_writing_anything(tmp_path):
    out = tmp_path / "bog"
    proc = subprocess.run([sys.executable, "-m", "ipsreport", "render", "--set", f"evaluator={IMG}", "--output",
                           str(out)], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert f"indstillingen evaluator har værdien {IMG!r}, som indeholder HTML-kode" in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_render_stops_on_a_case_file_with_markup_before_any_chapter(tmp_path, capsys):
    from ipsreport.cli import EXIT_DATA, check_cases

    write_case(tmp_path, focus=IMG)
    assert check_cases(tmp_path) == EXIT_DATA
    err = capsys.readouterr().err
    assert "casefilerne er ikke gyldige; intet blev lavet." in err
    assert f'ida.yml, feltet focus: værdien "{IMG}" indeholder HTML-kode' in err
    assert "Traceback" not in err
    write_case(tmp_path, focus="Et fokus")
    assert check_cases(tmp_path) is None
