"""Executor resolution against a region's aliases (pure)."""

from roadmaps.importing.executors import AliasTarget, resolve_executors

TOMSK = [
    AliasTarget("ДОО ТО", 1, "ДОО ТО"),
    AliasTarget("Департамент образования Томской области", 1, "ДОО ТО"),
    AliasTarget("ТОИПКРО", 2, "ТОИПКРО"),
    AliasTarget("МОУО", group="municipal_authorities"),
    AliasTarget(
        "Муниципальные органы, осуществляющие управление в сфере общего образования",
        group="municipal_authorities",
    ),
    AliasTarget("ОО", group="schools"),
    AliasTarget("руководители ОО", group="schools"),
    AliasTarget("руководители ШНОР", group="shnor_schools"),
    AliasTarget("кураторы", group="curators"),
    AliasTarget("кураторы ШНОР", group="curators"),
    AliasTarget("Управление образования", 3, "Управление образования"),
]


def summary(text):
    return [(e.text, e.organization_id or e.group or None, e.persons) for e in resolve_executors(text, TOMSK)]


def test_it_resolves_a_comma_list_of_abbreviations():
    assert summary("ДОО ТО, ТОИПКРО") == [("ДОО ТО", 1, ""), ("ТОИПКРО", 2, "")]


def test_it_prefers_the_longest_alias():
    assert summary("ТОИПКРО, МОУО, кураторы, руководители ОО") == [
        ("ТОИПКРО", 2, ""),
        ("МОУО", "municipal_authorities", ""),
        ("кураторы", "curators", ""),
        ("руководители ОО", "schools", ""),
    ]
    assert summary("Кураторы ШНОР, ТОИПКРО")[0] == ("Кураторы ШНОР", "curators", "")


def test_it_finds_names_with_no_separator_between_them():
    assert summary("Департамент образования Томской области ТОИПКРО") == [
        ("Департамент образования Томской области", 1, ""),
        ("ТОИПКРО", 2, ""),
    ]


def test_it_keeps_a_name_with_a_comma_inside_whole():
    result = summary("ТОИПКРО Муниципальные органы, осуществляющие управление в сфере общего образования")
    assert result == [
        ("ТОИПКРО", 2, ""),
        (
            "Муниципальные органы, осуществляющие управление в сфере общего образования",
            "municipal_authorities",
            "",
        ),
    ]


def test_it_attaches_people_in_brackets_to_their_executor():
    assert summary("Управление образования (Н.Л.Полунина); ТОИПКРО") == [
        ("Управление образования", 3, "Н.Л.Полунина"),
        ("ТОИПКРО", 2, ""),
    ]
    assert (
        summary("Управление образования (Е.В.Афонина, О.А.Ермакова),\nТОИПКРО")[0][2]
        == "Е.В.Афонина, О.А.Ермакова"
    )
    assert summary("Управление образования (Герасимова Л.Н.), ЦЭ")[0][2] == "Герасимова Л.Н."


def test_it_reports_what_it_does_not_know_without_inventing():
    result = resolve_executors("ТОИПКРО, региональное УМО по общему образованию, опорные школы", TOMSK)
    assert [(e.text, e.resolved) for e in result] == [
        ("ТОИПКРО", True),
        ("региональное УМО по общему образованию", False),
        ("опорные школы", False),
    ]


def test_it_does_not_match_an_abbreviation_inside_another_word():
    assert summary("МОУО") == [("МОУО", "municipal_authorities", "")]
    assert summary("Школьные ООП") == [("Школьные ООП", None, "")]


def test_it_returns_nothing_for_an_empty_cell():
    assert resolve_executors("  ", TOMSK) == []


def test_it_splits_several_people_in_one_cell_into_people():
    assert summary("Иванов И.И. Петрова А.А.") == [("Иванов И.И.", None, ""), ("Петрова А.А.", None, "")]
    assert summary("Директор Иванов И.И.\nЗаместитель директора по УВР Петрова А.А.") == [
        ("Директор Иванов И.И.", None, ""),
        ("Заместитель директора по УВР Петрова А.А.", None, ""),
    ]
    assert summary("Директор Иванов И.И. Заместитель директора Петрова А.А.")[1][0] == (
        "Заместитель директора Петрова А.А."
    )


def test_it_keeps_the_dot_of_initials_and_drops_a_trailing_full_stop():
    assert summary("Сидоров П.П., учитель.") == [("Сидоров П.П.", None, ""), ("учитель", None, "")]
