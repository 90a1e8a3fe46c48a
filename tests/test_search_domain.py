"""domain/search.py from tables: folding, the German spellings, reading a search, and the score."""

import pytest

from domain.errors import UserError
from domain.search import MAX_LOG, NAME, NOTES, Score, Search, fold, logged, read_search, score, searchable


@pytest.mark.parametrize(
    "text, folded",
    [
        ("München", "munchen"),
        ("MÜNCHEN", "munchen"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("naïve Café", "naive cafe"),
        ("Ørsted Æble Œuvre", "orsted aeble oeuvre"),
        ("Łódź", "lodz"),
        ("Smørrebrød & Søn, A/S", "smorrebrod son a s"),
        ("e\u0301cole", "ecole"),  # an accent typed as a combining mark
        ("ﬁnance", "finance"),  # a ligature
        ("Acme_renewal--2026", "acme renewal 2026"),
        ("İstanbul", "istanbul"),
        ("  ", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "text, searched",
    [
        ("München", "munchen muenchen"),
        ("Bäckerei Müller & Söhne", "backerei muller sohne baeckerei mueller soehne"),
        ("Acme", "acme"),  # no umlaut: nothing added
        ("Zürich Zürich", "zurich zurich zuerich"),
        (None, ""),
    ],
)
def test_searchable_adds_the_german_spelling_of_umlauts(text, searched):
    assert searchable(text) == searched


@pytest.mark.parametrize(
    "typed, search",
    [
        ("Acme renewal", Search(words=("acme", "renewal"))),
        ("acme ACME Acme", Search(words=("acme",))),
        ("  Müller,  GmbH ", Search(words=("muller", "gmbh"))),
        ("#12", Search(number=12)),
        ("#12 acme", Search(words=("12", "acme"))),
    ],
)
def test_read_search(typed, search):
    assert read_search(typed) == search


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Say what to look for"),
        ("   ", "Say what to look for"),
        ("?! … --", "There is nothing to search for"),
        ("x" * 201, "That search is too long"),
        ("a b c d e f g h i", "Search with at most {limit} words."),
    ],
)
def test_a_search_that_is_no_search_is_a_users_mistake(typed, message):
    with pytest.raises(UserError) as err:
        read_search(typed)
    assert err.value.message.startswith(message)


def test_score_counts_each_word_once_in_its_best_field():
    name, company, text = "acme renewal", "globex", "acme renewal globex called acme"
    assert score(("acme",), name, company, text) == Score(1, NAME)
    assert score(("acme", "called", "nothing"), name, company, text) == Score(2, NAME + NOTES)
    assert Score(2, 2) > Score(1, NAME) > Score(1, NOTES)  # all words over some, then where


def test_logged_keeps_the_newest_notes_within_its_limit():
    assert logged("", "Called Jürgen") == "called jurgen juergen"
    assert logged("called jurgen juergen", "Sent offer") == "sent offer called jurgen juergen"
    log = ""
    for n in range(3000):
        log = logged(log, f"note {n}")
    assert len(log) <= MAX_LOG and log.startswith("note 2999 note 2998") and not log.endswith(" ")
    assert "note 0 " not in log + " "  # the oldest fell out
