"""The school-name matcher (pure): exact after folding, suggestions only with the same numbers."""

from schools.matching import Candidate, Matcher, fold

SCHOOLS = [
    Candidate(id=1, names=("МАОУ СОШ № 5", "Муниципальное автономное ... школа № 5"), label="МАОУ СОШ № 5"),
    Candidate(id=2, names=("МАОУ СОШ № 55",), label="МАОУ СОШ № 55"),
    Candidate(id=3, names=("МБОУ «Чердатская СОШ»",), label="МБОУ «Чердатская СОШ»"),
    Candidate(id=4, names=("МАОУ СОШ № 15",), label="МАОУ СОШ № 15"),
]


def test_it_folds_case_quotes_yo_and_number_spacing():
    assert fold('МБОУ "Чердатская  СОШ"') == fold("мбоу «Чердатская СОШ»")
    assert fold("СОШ №5") == fold("СОШ № 5")
    assert fold("Ёлочка") == "елочка"


def test_it_matches_exactly_after_folding():
    m = Matcher(SCHOOLS)
    assert m.match('МБОУ "Чердатская СОШ"').id == 3
    assert m.match("маоу сош №5").id == 1
    assert m.match("МАОУ СОШ № 5 им. А.К. Ерохина") is None  # not exact: only suggested


def test_it_suggests_the_school_a_longer_name_starts_with():
    suggestions = Matcher(SCHOOLS).suggest("МАОУ СОШ № 5 им. А.К. Ерохина")
    assert [s.id for s in suggestions] == [1]
    assert suggestions[0].score >= 0.9


def test_it_never_suggests_a_school_with_another_number():
    ids = {s.id for s in Matcher(SCHOOLS).suggest("МАОУ СОШ № 5 г. Томска")}
    assert 2 not in ids and 4 not in ids


def test_it_suggests_nothing_for_an_unrelated_name():
    assert Matcher(SCHOOLS).suggest("Детский сад «Солнышко»") == []
