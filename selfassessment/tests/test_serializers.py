"""report_as_dict: complete, in the report's order, plain JSON data, deterministic."""

import datetime
import json

import pytest

from selfassessment import services
from selfassessment.models import CouncilMember, Passage, Report, WorkingGroup
from selfassessment.serializers import FORMAT, report_as_dict

from .factories import add_evidence, criterion, indicator

pytestmark = pytest.mark.django_db


def write(report, key, text, by):
    p = Passage.objects.get(report=report, key=key)
    services.passage_save(passage=p, text=text, base_revision=p.revision, by=by)


@pytest.fixture
def written(report, principal_a):
    (item,) = add_evidence(report, "1.1", principal_a, issued_number="12/QĐ", issued_on=datetime.date(2023, 9, 1))
    write(report, "introduction", "Đặt vấn đề.", principal_a)
    write(report, "indicator:1.1:1:a", f"Có phương hướng [{item.code}].", principal_a)
    write(report, "criterion:1.1:strengths", "Điểm mạnh.", principal_a)
    services.indicator_verdict_set(report=report, indicator=indicator(report, "1.1", 1, "a"), met=True, by=principal_a)
    services.indicator_verdict_set(report=report, indicator=indicator(report, "1.1", 1, "b"), met=False, by=principal_a)
    services.improvement_actions_save(report=report, criterion=criterion(report, "1.1"), by=principal_a,
                                      token=services.actions_token([]),
                                      items=[{"id": None, "action": "Bổ sung", "due_on": datetime.date(2026, 5, 31)}])
    chair = services.council_member_save(report=report, member=CouncilMember(full_name="Chủ tịch", role="chair"),
                                         by=principal_a)
    helper = services.council_member_save(report=report, member=CouncilMember(full_name="Giúp việc", in_secretary_group=True),
                                          by=principal_a)
    services.working_group_save(report=report, group=WorkingGroup(name="Nhóm 1", leader=chair), members=[helper],
                                criteria=[criterion(report, "1.1")], by=principal_a)
    services.data_table_save(report=report, key="classes", base_revision=0, by=principal_a,
                             raw={("grade_6", "2024-2025"): "4", ("grade_7", "2024-2025"): "3"})
    return Report.objects.get(pk=report.pk), item


def test_the_dict_follows_the_report_layout_and_is_complete(written):
    report, item = written
    data = report_as_dict(report)
    assert list(data) == ["format", "report", "school", "regulation", "council", "plan", "summary", "part1", "part2",
                          "part3", "evidence"]
    assert data["format"] == FORMAT
    assert data["school"]["code"] == "A-THCS-01" and data["regulation"]["code"] == "TEST/2018"
    assert data["council"]["members"][0]["full_name"] == "Chủ tịch"
    assert data["council"]["secretary_group"] == ["Giúp việc"]
    assert data["council"]["working_groups"] == [
        {"name": "Nhóm 1", "leader": "Chủ tịch", "members": ["Chủ tịch", "Giúp việc"], "criteria": ["1.1"]}]
    classes = data["part1"]["tables"][0]
    assert classes["key"] == "classes" and classes["rows"][-1]["values"][-1] == 7  # the total is computed
    standard = data["part2"]["standards"][0]
    first = standard["criteria"][0]
    assert first["number"] == "1.1"
    state = first["levels"][0]["indicators"][0]
    assert state == {"key": "a", "unlettered": False, "text": "Chỉ báo a mức 1 của 1.1;", "repealed": False,
                     "repealed_by": "", "current_state": f"Có phương hướng [{item.code}].", "evidence": [item.code],
                     "verdict": "dat"}
    assert first["levels"][0]["indicators"][1]["verdict"] == "khong_dat"
    assert first["level"] == 0 and first["explanation"] == ["Chỉ báo b Mức 1 của tiêu chí 1.1 chưa đạt."]
    assert first["improvement_plan"][0]["action"] == "Bổ sung" and first["improvement_plan"][0]["due_on"] == "2026-05-31"
    # 1.2 has no Mức 3: the summary marks "--" there.
    rows = {row["criterion"]: row for row in data["summary"]["criteria"]}
    assert rows["1.2"]["levels_available"] == [1, 2] and rows["1.1"]["levels_available"] == [1, 2, 3]
    assert data["part2"]["introduction"] == "Đặt vấn đề."
    assert data["part3"]["criteria_total"] == 6 and data["part3"]["school_level"] == 0
    assert data["evidence"] == [{
        "order": 1, "code": item.code, "name": item.name, "issued_number": "12/QĐ", "issued_on": "2023-09-01",
        "issued_period": "", "issued": "12/QĐ, 01/09/2023", "issuer": "", "box": 1, "note": "", "valid_until": None,
        "link": "", "criterion": "1.1", "shared_criteria": [], "file": None,
    }]


def test_the_dict_is_plain_json_and_the_same_every_time(written):
    report, _item = written
    first = json.dumps(report_as_dict(report), ensure_ascii=False)
    again = json.dumps(report_as_dict(Report.objects.get(pk=report.pk)), ensure_ascii=False)
    assert first == again
    assert json.loads(first) == report_as_dict(report)


def test_any_change_of_content_changes_the_dict(written, principal_a):
    report, _item = written
    before = report_as_dict(report)
    write(report, "criterion:1.1:weaknesses", "Điểm yếu mới.", principal_a)
    after = report_as_dict(Report.objects.get(pk=report.pk))
    assert before != after
    assert after["part2"]["standards"][0]["criteria"][0]["weaknesses"] == "Điểm yếu mới."


def test_evidence_files_carry_their_checksum(report, principal_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    (item,) = add_evidence(report, "1.1", principal_a, upload=SimpleUploadedFile("quyet-dinh.pdf", pdf,
                                                                                 content_type="application/pdf"))
    entry = report_as_dict(report)["evidence"][0]
    assert entry["file"]["sha256"] == item.sha256 and len(item.sha256) == 64
