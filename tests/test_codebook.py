"""The codebook: complete, trilingual, and the only source of names and levels."""

from __future__ import annotations

import pytest

from krihs_analysis.codebook import LANGS, TASKS, check_lang, check_variables, load_codebook

REQUIRED_ORDINALS = [
    "community_sense", "resident_org", "leadership", "capacity_building", "participation", "resident_planning",
    "institutional_support", "intermediary", "gov_role", "integration", "sustainability",
]


@pytest.mark.parametrize("name", REQUIRED_ORDINALS)
def test_every_ordinal_item_has_a_written_anchor_for_each_level_in_three_languages(name):
    var = load_codebook()[name]
    assert var.type == "ordinal" and var.codes == (0, 1, 2, 3)
    for code in var.codes:
        for lang in LANGS:
            assert len(var.level_label(code, lang)) >= 2


@pytest.mark.parametrize(
    "name", ["case_id", "country", "programme", "ministry", "municipality", "municipality_code", "city_size",
             "start_year", "support_years", "linked_projects", "continued", "years_after_support", "self_funded_pct"],
)
def test_descriptive_variables_and_outcomes_are_defined(name):
    assert name in load_codebook()


def test_each_core_task_has_items_and_a_derived_index_with_labels():
    cb = load_codebook()
    assert tuple(cb.core_tasks) == TASKS
    for task in TASKS:
        assert cb.items_for_task(task)
        assert {cb.label(task, lang) for lang in LANGS}
        assert set(cb.derived[task]["labels"]) == set(LANGS)


def test_outcomes_are_marked_as_outcomes():
    assert set(load_codebook().outcomes) == {"continued", "years_after_support", "self_funded_pct", "sustainability"}


def test_unknown_variable_is_a_value_error_that_lists_known_ones():
    with pytest.raises(ValueError, match="not a variable of the codebook"):
        check_variables(["happiness"])


def test_a_text_variable_is_refused_where_codes_are_needed():
    with pytest.raises(ValueError, match=r"municipality.* is a text variable; variables must be coded \(ordinal"):
        check_variables(["municipality"], coded=True)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="en, ko, ja"):
        check_lang("fr")


def test_a_former_label_still_reads_as_its_variable():
    # codebook 1.1.0 renamed gov_role's labels; sheets made from the 1.0.0 template keep working.
    from krihs_analysis.codebook import fold_header

    aliases = load_codebook().header_aliases()
    assert aliases[fold_header("정부 역할 (지시형→조력형)")] == "gov_role"
    assert aliases[fold_header("Enabling government role")] == "gov_role"
    # codebook 1.2.0 wrote the Japanese labels in full-width punctuation: "自主財源比率(%)" is now "自主財源比率（%）"
    assert aliases[fold_header("自主財源比率(%)")] == aliases[fold_header("自主財源比率（%）")] == "self_funded_pct"
