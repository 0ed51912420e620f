"""Demo data: Biểu 2 (the TT57/2026 improvement plan) of every demo school's TT57 report.

Called by ``demo.seed_tt57`` once the report is written, through the services (audited, as a
principal would): 3-5 priority issues, 4-6 improvements, some of them past their end date and not
done (flagged overdue on the page); a semester-1 check recorded by some schools, missing for the
others (what the reminders and dashboards look for). Dates go through ``schools.demo_clock``.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from schools import demo_clock
from schools.models import School, User
from selfassessment import services_plan57 as svc
from selfassessment.models import Plan57, Plan57Issue, Report
from standards.models import Standard

# Schools that recorded their Cuối học kỳ I check (the others have not yet).
CHECKED = {"DDA-THCS-02", "CNA-THCS-01"}

# Per standard: (criteria, current state, weakness, cause, improvements).
ISSUES: dict[int, list[tuple[str, str, str, str, list[tuple[str, str, str, str]]]]] = {
    1: [("1.2, 1.4", "Kế hoạch năm học có, nhưng việc rà soát, điều chỉnh giữa kỳ chưa thường xuyên.",
         "Công tác kiểm tra nội bộ và tự đánh giá chưa gắn với cải tiến.",
         "Chưa phân công rõ đầu mối theo dõi; biểu mẫu theo dõi chưa thống nhất.",
         [("Xây dựng quy trình kiểm tra nội bộ gắn với tự đánh giá", "100% tổ chuyên môn thực hiện quy trình mới",
           "Ban hành quy trình; tập huấn tổ trưởng; kiểm tra chéo mỗi tháng", "Biên bản kiểm tra hằng tháng đầy đủ")])],
    2: [("2.1, 2.2", "Tỷ lệ giáo viên đạt chuẩn cao; năng lực ứng dụng công nghệ số không đồng đều.",
         "Kỹ năng số và đổi mới phương pháp của một bộ phận giáo viên còn hạn chế.",
         "Giáo viên lớn tuổi ít được bồi dưỡng; thiết bị thực hành còn thiếu.",
         [("Bồi dưỡng kỹ năng số cho giáo viên", "90% giáo viên sử dụng thành thạo học liệu số",
           "Chuyên đề cấp trường mỗi tháng; giáo viên cốt cán kèm cặp", "Số tiết dạy có ứng dụng học liệu số"),
          ("Sinh hoạt chuyên môn theo nghiên cứu bài học", "Mỗi tổ 02 chuyên đề/học kỳ",
           "Dự giờ, phân tích bài học; chia sẻ kinh nghiệm", "Biên bản sinh hoạt chuyên môn")])],
    3: [("3.2, 3.4", "Kết quả giáo dục ổn định; tỷ lệ học sinh cần hỗ trợ còn cao ở một số lớp.",
         "Hoạt động hỗ trợ học sinh có khó khăn trong học tập chưa hiệu quả.",
         "Chưa có kế hoạch phụ đạo riêng theo đối tượng; phối hợp với cha mẹ học sinh còn hạn chế.",
         [("Phụ đạo học sinh có khó khăn trong học tập", "Giảm 30% số học sinh cần hỗ trợ",
           "Lập danh sách theo lớp; phụ đạo 2 buổi/tuần; trao đổi với cha mẹ học sinh", "Tỷ lệ học sinh đạt yêu cầu cuối năm")])],
    4: [("4.1", "Phòng học đủ; phòng học bộ môn và thư viện chưa đạt chuẩn.",
         "Cơ sở vật chất phục vụ dạy học bộ môn và đọc sách còn thiếu.",
         "Kinh phí đầu tư hạn chế; một số phòng xuống cấp.",
         [("Cải tạo phòng học bộ môn và thư viện", "Đưa vào sử dụng 01 phòng bộ môn, thư viện thân thiện",
           "Lập dự toán; đề xuất UBND phường; huy động xã hội hóa", "Phòng được nghiệm thu, đưa vào sử dụng"),
          ("Xây dựng tủ sách lớp học", "Mỗi lớp có tủ sách từ 100 đầu sách",
           "Phát động quyên góp sách; luân chuyển sách giữa các lớp", "Sổ theo dõi mượn sách")])],
}
RESPONSIBLE = ["Hiệu trưởng", "Phó Hiệu trưởng", "Tổ trưởng chuyên môn", "Tổ Văn phòng", "Thư ký Hội đồng"]


def _days(n: int) -> datetime.date:
    return demo_clock.day(datetime.date(2026, 9, 15)) + datetime.timedelta(days=n)


def seed_plan(report: Report, school: School, principal: User, *, finished: bool) -> None:
    """The report's Biểu 2 (idempotent: a report that has one keeps it)."""
    if Plan57.objects.filter(report=report).exists():
        return
    rng = random.Random(f"kiemdinh-plan57-{school.code}")  # nosec B311  # repeatable demo texts, nothing secret
    plan = svc.plan_create(report=report, by=principal)
    # The proposals are replaced by the school's chosen priorities.
    for issue in list(Plan57Issue.objects.filter(plan=plan)):
        svc.issue_delete(issue=issue, revision=issue.revision, by=principal)
    standards = {s.number: s for s in Standard.objects.filter(version=report.regulation_version_id)}
    chosen = sorted(rng.sample(sorted(ISSUES), rng.randint(3, 4)))
    actions = []
    for number in chosen:
        criteria, state, weakness, cause, improvements = ISSUES[number][0]
        issue = svc.issue_save(plan=plan, by=principal, values={
            "standard": standards.get(number), "criteria": criteria, "current_state": state,
            "weakness": weakness, "cause": cause})
        for content, objective, activities, indicator in improvements:
            actions.append((issue, content, objective, activities, indicator))
    if len(chosen) == 3 and finished:
        issue = svc.issue_save(plan=plan, by=principal, values={
            "criteria": "", "current_state": "Cha mẹ học sinh tham gia các hoạt động còn ít.",
            "weakness": "Phối hợp giữa nhà trường, gia đình và xã hội chưa chặt chẽ.",
            "cause": "Kênh thông tin hai chiều chưa được sử dụng thường xuyên."})
        actions.append((issue, "Tăng cường kênh liên lạc với cha mẹ học sinh", "100% lớp có nhóm liên lạc hoạt động",
                        "Họp cha mẹ học sinh theo định kỳ; cập nhật thông tin hằng tuần", "Số buổi họp, ý kiến phản hồi"))
    actions = actions[:6]
    saved = []
    for index, (issue, content, objective, activities, indicator) in enumerate(actions):
        start = _days(15 * index)
        # The first ones were due by the end of November: one done, one still going (overdue).
        end = _days(60 + 15 * index) if index < 2 else demo_clock.day(datetime.date(2027, 5, 15))
        saved.append(svc.action_save(plan=plan, by=principal, values={
            "issue": issue, "content": content, "objective": objective, "activities": activities,
            "indicator": indicator, "start_on": start, "end_on": end,
            "responsible": RESPONSIBLE[index % len(RESPONSIBLE)], "coordination": "Ban đại diện cha mẹ học sinh"
            if index % 2 else "", "resources": "Ngân sách chi thường xuyên; xã hội hóa" if index % 3 == 0 else
            "Nhân lực của nhà trường", "expected_evidence": "Kế hoạch, biên bản, báo cáo kết quả"}))
    svc.plan_sections_save(plan=plan, revision=plan.revision, by=principal, values={
        "basis_school_plan": f"Kế hoạch giáo dục năm học {report.school_year.code} của {school.name}; "
                             "Nghị quyết Hội nghị viên chức đầu năm học.",
        "basis_other": "Ý kiến góp ý của Ban đại diện cha mẹ học sinh.",
    })
    if not finished:
        return
    today = demo_clock.past(datetime.date(2026, 12, 5))
    if saved:
        svc.action_status_set(action=saved[0], status="done", revision=saved[0].revision, by=principal)
        for action in saved[1:3]:
            svc.action_status_set(action=action, status="in_progress", revision=action.revision, by=principal)
    if school.code in CHECKED and saved:
        now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(16, 30)))
        svc.check_save(plan=plan, point="semester1", by=principal, now=now, values={
            "action": saved[0], "content": "Tiến độ thực hiện nội dung 1",
            "result": "Hoàn thành đúng kế hoạch; các tổ đã áp dụng.", "evidence": "Biên bản kiểm tra nội bộ tháng 11",
            "adjustment": "", "assessor": "Hội đồng tự đánh giá"})
        if len(saved) > 1:
            svc.check_save(plan=plan, point="semester1", by=principal, now=now, values={
                "action": saved[1], "content": "Tiến độ thực hiện nội dung 2",
                "result": "Mới thực hiện được một nửa khối lượng.", "evidence": "",
                "adjustment": "Lùi thời hạn hoàn thành sang tháng 02; bổ sung người phụ trách.",
                "assessor": "Hội đồng tự đánh giá"})
