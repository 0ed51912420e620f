"""The management commands: load_standards, export_standards, compute_level."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from standards.services import DATA_DIR

from .conftest import FILES, catalog_data, run

pytestmark = pytest.mark.usefixtures("shared_catalogs")


def test_export_standards_prints_the_catalog_file(tt18):
    assert run("export_standards", "TT18/2018") == (DATA_DIR / FILES["TT18/2018"]).read_text(encoding="utf-8")


def test_export_standards_of_an_unknown_code_fails(tt18):
    with pytest.raises(CommandError, match="code: không có bộ tiêu chuẩn"):
        run("export_standards", "TT99/2030")


def full_tt18_input(**changes) -> dict:
    data = catalog_data("TT18/2018")
    indicators = {
        c["number"]: {level: {i["key"]: True for i in items} for level, items in c["levels"].items()}
        for s in data["standards"] for c in s["criteria"]
    }
    payload = {
        "regulation": "TT18/2018", "version": "original",
        "school": {"completed_cohorts": 3, "years_operating": 12},
        "indicators": indicators,
        "level4": {str(n): True for n in range(1, 7)},
    }
    payload.update(changes)
    return payload


def compute(payload, monkeypatch) -> dict:
    return json.loads(run("compute_level", "-", stdin=json.dumps(payload), monkeypatch=monkeypatch))


def test_compute_level_on_a_full_report_meeting_everything(tt18, monkeypatch):
    result = compute(full_tt18_input(), monkeypatch)
    assert (result["school_level"], result["accreditation_level"], result["national_standard"]) == (4, 4, 2)
    assert len(result["criteria"]) == 28 and set(result["criteria"].values()) == {3}
    assert result["blockers"] == []


def test_compute_level_explains_what_blocks(tt18, monkeypatch):
    payload = full_tt18_input()
    payload["indicators"]["1.1"]["3"]["a"] = False
    payload["indicators"]["2.1"]["2"]["a"] = False
    payload["school"]["completed_cohorts"] = 0
    result = compute(payload, monkeypatch)
    assert result["criteria"]["1.1"] == 2 and result["criteria"]["2.1"] == 1
    assert (result["school_level"], result["accreditation_level"], result["national_standard"]) == (1, 0, 0)
    assert [b["criterion"] for b in result["blockers"] if b["code"] == "criterion_below"] == ["2.1"]
    assert any(b["code"] == "precondition_not_met" for b in result["blockers"])
    assert result["criteria_blockers"]["1.1"][0]["message"] == "Chỉ báo a Mức 3 của tiêu chí 1.1 chưa đạt."


def test_compute_level_accepts_criterion_levels(tt18, monkeypatch):
    levels = dict.fromkeys(full_tt18_input()["indicators"], 3)
    levels["3.2"] = 2
    result = compute({"regulation": "TT18/2018", "criteria": levels, "school": {"completed_cohorts": 1}}, monkeypatch)
    assert (result["school_level"], result["accreditation_level"], result["national_standard"]) == (2, 2, 1)


def test_compute_level_reads_a_file(tt18, tmp_path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(full_tt18_input()), encoding="utf-8")
    assert json.loads(run("compute_level", str(path)))["school_level"] == 4


def test_compute_level_uses_the_version_in_force_on_the_date(tt18, monkeypatch):
    payload = full_tt18_input()
    del payload["version"]
    payload["date"] = "2025-03-01"
    payload["indicators"]["5.3"]["1"]["a"] = False  # repealed by TT22/2024 from 25/01/2025
    result = compute(payload, monkeypatch)
    assert (result["version"], result["criteria"]["5.3"]) == ("TT22/2024", 3)
    payload["date"] = "2024-03-01"
    assert compute(payload, monkeypatch)["criteria"]["5.3"] == 0


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: p.update(regulation="TT99/2030"), "regulation: không có bộ tiêu chuẩn"),
        (lambda p: p["indicators"].update({"9.9": {}}), "indicators.9.9: tiêu chí không có"),
        (lambda p: p["indicators"].pop("3.4"), "indicators.3.4: thiếu kết quả"),
        (lambda p: p["indicators"]["1.1"].update({"5": {"a": True}}), "indicators.1.1.5: giá trị ngoài khoảng 1..3"),
        (lambda p: p["indicators"]["1.1"]["1"].update(z=True), "indicators.1.1.1.z: chỉ báo không có"),
        (lambda p: p["indicators"]["1.1"]["1"].update(a="đạt"), "indicators.1.1.1.a: phải là true hoặc false"),
        (lambda p: p["indicators"]["1.1"].update(x={}), "indicators.1.1.x: mức phải là số"),
        (lambda p: p.update(level4={"9": True}), "level4.9: không có yêu cầu Mức 4"),
        (lambda p: p.update(school={"completed_cohorts": -1}), "school.completed_cohorts"),
        (lambda p: p.update(version="TT01/2001"), "version: không có phiên bản"),
        (lambda p: p.update(colour="red"), "colour: trường không được hỗ trợ"),
    ],
)
def test_compute_level_bad_input_fails_naming_the_field(tt18, monkeypatch, mutate, message):
    payload = full_tt18_input()
    mutate(payload)
    with pytest.raises(CommandError, match=message):
        compute(payload, monkeypatch)


def test_compute_level_criterion_level_out_of_range_names_the_criterion(tt18, monkeypatch):
    levels = dict.fromkeys(full_tt18_input()["indicators"], 3)
    levels["1.4"] = 5
    with pytest.raises(CommandError, match=r"criteria\.1\.4: giá trị ngoài khoảng 0\.\.3"):
        compute({"regulation": "TT18/2018", "criteria": levels}, monkeypatch)


def test_compute_level_invalid_json_fails(tt18, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("{not json"))
    with pytest.raises(CommandError, match="JSON không hợp lệ"):
        call_command("compute_level", "-", stdout=io.StringIO())


def test_compute_level_on_an_incomplete_legacy_catalog_says_it_cannot_decide(catalogs, monkeypatch):
    result = compute({"regulation": "TT42/2012-TH", "criteria": {"1.2": True}}, monkeypatch)
    assert result["criteria"] == {"1.2": True}
    assert result["accreditation_level"] is None
    assert result["blockers"][0]["code"] == "catalog_incomplete"
    assert "1 tiêu chí trên 28" in result["blockers"][0]["message"]
