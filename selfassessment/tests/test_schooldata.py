"""Phần I tables (pure Python): layout per level, computed totals, the checks, carry-over."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfassessment import schooldata as sd

YEARS = sd.school_years("2024-2025")
LEVELS = ["mn", "th", "thcs", "thpt", "multi"]


def test_school_years_are_the_five_ending_with_the_report_year():
    assert YEARS == ["2020-2021", "2021-2022", "2022-2023", "2023-2024", "2024-2025"]


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_has_the_six_tables_in_order_with_known_references(level):
    specs = sd.tables_for(level)
    assert [s.key for s in specs] == list(sd.TABLE_KEYS)
    keys = {s.key: {r.key for r in s.rows} for s in specs}
    for spec in specs:
        for row in spec.rows:
            assert set(row.sum_of) <= keys[spec.key], (spec.key, row.key)
        for check in spec.checks:
            for ref in (*check.parts, check.total):
                table, _, row = ref.rpartition(":")
                if check.axis == "rows":
                    assert row in keys[table or spec.key], (spec.key, ref)
                else:
                    assert row in {c.key for c in spec.columns}, (spec.key, ref)


def test_preschool_classes_are_by_age_group_and_primary_by_grade():
    assert [r.key for r in sd.table_for("mn", "classes").input_rows()][:3] == ["nt_3_12", "nt_13_24", "nt_25_36"]
    assert [r.key for r in sd.table_for("th", "classes").input_rows()] == [f"grade_{g}" for g in range(1, 6)]
    assert [r.key for r in sd.table_for("thcs", "classes").input_rows()] == [f"grade_{g}" for g in range(6, 10)]


def test_totals_are_computed_including_subtotals_and_blank_stays_blank():
    spec = sd.table_for("thcs", "rooms")
    grid = sd.computed_grid(spec, YEARS, {"classrooms_solid": {"2024-2025": 20}, "classrooms_semi": {"2024-2025": 2},
                                          "admin_solid": {"2024-2025": 5}})
    assert grid["classrooms_total"]["2024-2025"] == 22
    assert grid["admin_total"]["2024-2025"] == 5
    assert grid["total"]["2024-2025"] == 27
    assert grid["total"]["2023-2024"] is None


def test_fixed_table_total_row_adds_every_column():
    spec = sd.table_for("thcs", "staff")
    values = {"teachers": {"total": 40, "women": 30}, "principal": {"total": 1, "women": 1}}
    grid = sd.computed_grid(spec, YEARS, values)
    assert grid["total"]["total"] == 41 and grid["total"]["women"] == 31


def _consistent_thcs():
    values = {"pupils": {}, "results": {}}
    for year in YEARS:
        for grade, n in zip(("grade_6", "grade_7", "grade_8", "grade_9"), (100, 90, 80, 70), strict=True):
            values["pupils"].setdefault(grade, {})[year] = n
        values["pupils"].setdefault("girls", {})[year] = 150
        for key, n in (("learning_excellent", 100), ("learning_good", 150), ("learning_done", 80), ("learning_not", 10)):
            values["results"].setdefault(key, {})[year] = n
        for key, n in (("conduct_good", 300), ("conduct_fair", 30), ("conduct_ok", 10), ("conduct_needs", 0)):
            values["results"].setdefault(key, {})[year] = n
        values["results"].setdefault("completed_programme", {})[year] = 70
    return values


def test_consistent_numbers_have_no_problem():
    assert sd.table_problems("thcs", YEARS, _consistent_thcs()) == []


def test_results_that_do_not_account_for_every_pupil_are_reported_in_that_year():
    values = _consistent_thcs()
    values["results"]["conduct_good"]["2021-2022"] = 298
    problems = sd.table_problems("thcs", YEARS, values)
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.table, problem.column) == ("results", "2021-2022")
    assert problem.detail == {"sum": 338, "total": 340}


def test_a_part_larger_than_its_total_is_reported():
    values = _consistent_thcs()
    values["pupils"]["girls"]["2024-2025"] = 400
    values["results"]["completed_programme"]["2022-2023"] = 71  # more graduates than grade 9 pupils
    found = {(p.table, p.row, p.column) for p in sd.table_problems("thcs", YEARS, values)}
    assert found == {("pupils", "girls", "2024-2025"), ("results", "completed_programme", "2022-2023")}


def test_staff_qualifications_must_add_up_to_the_total_of_their_row():
    values = {"staff": {"teachers": {"total": 40, "women": 41, "below": 0, "standard": 20, "above": 19}}}
    problems = sd.table_problems("thcs", YEARS, values)
    assert {(p.row, p.message) for p in problems} == {
        ("teachers", "Số nữ lớn hơn tổng số"),
        ("teachers", "Số chưa đạt chuẩn, đạt chuẩn và trên chuẩn không cộng lại bằng tổng số"),
    }


def test_partly_typed_sums_are_judged_only_once_they_exceed_the_total():
    values = {"staff": {"teachers": {"total": 40, "standard": 20}}}
    assert sd.table_problems("thcs", YEARS, values) == []
    values["staff"]["teachers"]["above"] = 25
    assert len(sd.table_problems("thcs", YEARS, values)) == 1


def test_unknown_totals_are_not_judged():
    assert sd.table_problems("thcs", YEARS, {"results": {"conduct_good": {"2024-2025": 5}}}) == []


def test_clean_values_keeps_typed_cells_only_and_names_a_bad_cell():
    spec = sd.table_for("thcs", "classes")
    raw = {("grade_6", "2024-2025"): " 1.200 ", ("total", "2024-2025"): "99", ("grade_7", "2024-2025"): "",
           ("grade_8", "1999-2000"): "4"}
    assert sd.clean_values(spec, YEARS, raw) == {"grade_6": {"2024-2025": 1200}}
    with pytest.raises(sd.GridError) as error:
        sd.clean_values(spec, YEARS, {("grade_6", "2024-2025"): "12a"})
    assert error.value.cell == "grade_6/2024-2025"
    with pytest.raises(sd.GridError):
        sd.clean_values(spec, YEARS, {("grade_6", "2024-2025"): str(sd.MAX_VALUE + 1)})


@given(st.integers(min_value=0, max_value=sd.MAX_VALUE))
def test_parse_cell_reads_what_people_type(value):
    assert sd.parse_cell(str(value)) == value
    assert sd.parse_cell(f"{value:,}".replace(",", ".")) == value
    assert sd.parse_cell(f" {value} ") == value


@pytest.mark.parametrize("raw", ["-1", "1,5", "abc", True])
def test_parse_cell_refuses_what_is_not_a_whole_number(raw):
    with pytest.raises(ValueError):
        sd.parse_cell(raw)


def test_carry_over_keeps_the_shared_years_of_a_year_table_and_all_of_a_fixed_table():
    classes = sd.table_for("thcs", "classes")
    previous = {"grade_6": {"2019-2020": 3, "2023-2024": 4}, "total": {"2023-2024": 9}, "gone": {"2023-2024": 1}}
    assert sd.carry_over(classes, YEARS, previous) == {"grade_6": {"2023-2024": 4}}
    staff = sd.table_for("thcs", "staff")
    assert sd.carry_over(staff, YEARS, {"teachers": {"total": 40}}) == {"teachers": {"total": 40}}
