"""The figures a sentence gives, and where outlets give different ones."""

from __future__ import annotations

from timeline.extraction.figures import figure_disagreements, figures_in


def given(text: str) -> list[tuple[float, str, str]]:
    return [(f.value, f.counted, f.text) for f in figures_in(text)]


def test_it_finds_the_number_and_the_plural_it_counts_past_a_name() -> None:
    text = "Russia has massed more than 100,000 Russian troops; the leaders spoke for 62 minutes."
    assert given(text) == [
        (100_000, "troops", "100,000 Russian troops"),
        (62, "minutes", "62 minutes"),
    ]


def test_it_reads_scales_percentages_and_money() -> None:
    text = "2.5 million people fled, 5% of the population; aid of $5 billion was pledged."
    assert given(text) == [
        (2_500_000, "people", "2.5 million people"),
        (5, "percent", "5%"),
        (5_000_000_000, "dollars", "$5 billion"),
    ]


def test_dates_years_times_and_ordinals_are_not_figures() -> None:
    text = "On Feb. 20, 2022, at 10:30, the 3rd convoy left; since 2014 and on 20 February too."
    assert figures_in(text) == []


def test_a_figure_points_at_its_words_in_the_text() -> None:
    text = "Officials said 30,000 troops joined the drills."
    [figure] = figures_in(text)
    assert figure.span.excerpt(text) == "30,000 troops"


def test_two_outlets_counting_the_troops_differently_disagree() -> None:
    [disagreement] = figure_disagreements(
        [
            ("Reuters", figures_in("Russia has 100,000 troops near the border.")),
            ("AP", figures_in("Russia has massed 130,000 troops there.")),
            ("AFP", figures_in("Some 100,000 troops are deployed.")),
        ]
    )
    assert disagreement.about == "troops"
    assert disagreement.versions == (
        ("100,000 troops", ("Reuters", "AFP")),
        ("130,000 troops", ("AP",)),
    )


def test_one_more_figure_from_one_outlet_contradicts_nothing() -> None:
    assert (
        figure_disagreements(
            [
                ("Reuters", figures_in("Russia has 100,000 troops near the border.")),
                ("AP", figures_in("It has 100,000 troops now, up from 30,000 troops last year.")),
                ("AFP", figures_in("The leaders spoke for 62 minutes.")),
            ]
        )
        == []
    )
