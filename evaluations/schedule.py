"""The default schedule of an external-evaluation round. Pure Python, no Django.

Taken from the Long Biên 2016-2017 plan (Phòng GD&ĐT quận Long Biên, "Kế hoạch triển khai công tác
KĐCLGD năm học 2016-2017", mục II.1.b and II.2), round 1: the schools submit their registration
dossier on 09/01, get the district's comments back on 16/01, resubmit on 18/01 and are ready for
the visit by 25/01; the district receives and checks the dossiers on 18/01, and on 19/01 sends
the official letter proposing external evaluation to the Sở and reports to the People's
Committee. Offsets are counted in days from the dossier date, so a round on another date gets
the same rhythm; the district then adjusts any date (round 2 of that plan had a longer summer
rhythm: 14/07, 18/07, 24/07, 15/08).

The step titles are data (stored on each milestone, editable), in the letters' own Vietnamese;
``{unit}`` in a title is the round's reviewing unit in its own name (``Step.title_for``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

SCHOOL = "school"
DISTRICT = "district"


@dataclass(frozen=True)
class Step:
    key: str
    owner: str
    title: str
    offset_days: int
    description: str = ""

    def title_for(self, unit_name: str) -> str:
        """The title with the reviewing unit named ("… về Phòng GD&ĐT Đống Đa", "… về UBND phường Cửa Nam")."""
        return self.title.replace("{unit}", unit_name)

    def due(self, dossier_date: datetime.date) -> datetime.date:
        return dossier_date + datetime.timedelta(days=self.offset_days)


DEFAULT_STEPS: tuple[Step, ...] = (
    Step("school_complete_report", SCHOOL, "Hoàn thiện báo cáo tự đánh giá và hồ sơ minh chứng", -14,
         "Báo cáo làm rõ tổng số tiêu chí, chỉ báo đạt và chưa đạt, các tiêu chí chưa đạt và biện pháp khắc phục, "
         "mức tự xếp loại và kiến nghị đề xuất."),
    Step("school_submit_dossier", SCHOOL,
         "Chỉnh sửa, hoàn thiện báo cáo tự đánh giá, nộp hồ sơ đăng ký KĐCLGD về {unit}", 0),
    Step("school_receive_comments", SCHOOL, "Nhận lại báo cáo sau khi {unit} góp ý kiến", 7),
    Step("school_resubmit", SCHOOL,
         "Tiếp thu ý kiến góp ý của {unit}, hoàn thiện báo cáo tự đánh giá, nộp lại hồ sơ về {unit}", 9),
    Step("school_prepare_visit", SCHOOL, "Chuẩn bị các điều kiện đón đoàn đánh giá ngoài", 16),
    Step("district_support", DISTRICT,
         "Hỗ trợ kỹ thuật, kiểm tra công tác tự đánh giá các trường đón đoàn đánh giá ngoài của Sở", -7),
    Step("district_review_dossiers", DISTRICT,
         "Tiếp nhận hồ sơ đăng ký kiểm định; kiểm tra báo cáo tự đánh giá; góp ý, yêu cầu các trường hoàn thiện", 9),
    Step("district_letter_to_department", DISTRICT,
         "Gửi công văn đề nghị đánh giá ngoài (cùng hồ sơ đăng ký KĐCLGD) về Sở GD&ĐT", 10),
    Step("district_report_committee", DISTRICT,
         "Báo cáo Ủy ban nhân dân về việc chấp nhận các cơ sở được đánh giá ngoài", 10),
)


def default_schedule(dossier_date: datetime.date) -> list[tuple[Step, datetime.date]]:
    """Every default step with its due date for a round whose dossiers are due on ``dossier_date``."""
    return [(step, step.due(dossier_date)) for step in DEFAULT_STEPS]
