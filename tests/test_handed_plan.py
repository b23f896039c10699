"""A plan handed to a book (the site books' joint audit) is the plan it publishes, by an explicit attribute."""

from __future__ import annotations

from ipsreport.analysis.disclosed.layer import Disclosed
from ipsreport.analysis.disclosed.plan import Plan
from ipsreport.analysis.scoring import edition_scores


def test_a_handed_plan_is_the_books_plan_and_its_own_is_never_made(make_fake):
    ed = make_fake(min_cell=3)
    layer = Disclosed(ed, edition_scores(ed))
    handed = Plan(hidden={("made", "elsewhere")})
    assert layer.handed_plan is None
    layer.adopt_plan(handed)
    assert layer.handed_plan is handed and layer.plan is handed
    assert "own_plan" not in vars(layer)  # nothing was planned for this book


def test_without_a_handed_plan_the_book_makes_its_own_once(make_fake):
    ed = make_fake(min_cell=3)
    layer = Disclosed(ed, edition_scores(ed))
    made = layer.plan
    assert made is layer.own_plan is layer.plan  # computed once, kept
    assert made.hidden  # the fake edition has small counts to hide: a real plan, not the empty one
