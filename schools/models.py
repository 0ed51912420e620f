"""Organisations, schools, school years and people.

The reviewing tier (Phòng GD&ĐT of a district, or since the 2025 reform a ward People's
Committee and its Phòng Văn hóa – Xã hội) is an Organisation whose ``kind`` is data, not code; every
text a unit sends names it and its head from the unit (``display_name``, ``office``, ``head_label``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemdinh.states import States, declare_states


class Organisation(models.Model):
    """A managing body: the Sở GD&ĐT, or a reviewing unit below it."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở Giáo dục và Đào tạo")
        DISTRICT_OFFICE = "district_office", _("Phòng Giáo dục và Đào tạo")
        WARD_COMMITTEE = "ward_committee", _("Ủy ban nhân dân phường/xã")

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    province = models.CharField(_("tỉnh/thành phố"), max_length=100, default="Hà Nội")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    head_name = models.CharField(_("thủ trưởng đơn vị"), max_length=120, blank=True)
    # How the unit names itself and its head in every text it sends (pages, e-mails, letters). Blank:
    # the usual wording of its kind (DEFAULT_OFFICE / DEFAULT_HEAD_TITLE); a unit whose office or
    # head is called otherwise sets its own here (admin site).
    office_name = models.CharField(
        _("phòng chuyên môn thẩm định"), max_length=120, blank=True,
        help_text=_("Để trống: Phòng Giáo dục và Đào tạo (quận/huyện), Phòng Văn hóa – Xã hội (phường/xã)."),
    )
    head_title = models.CharField(
        _("chức danh thủ trưởng"), max_length=120, blank=True,
        help_text=_("Để trống: Trưởng phòng (quận/huyện), Trưởng phòng Văn hóa – Xã hội (phường/xã), Giám đốc Sở."),
    )
    # Whether the head must give the final approval of a report.
    requires_head_approval = models.BooleanField(_("thủ trưởng đơn vị phê duyệt cuối cùng"), default=False)

    class Meta:
        verbose_name = _("đơn vị quản lý")
        verbose_name_plural = _("đơn vị quản lý")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="department") | Q(parent__isnull=False),
                name="schools_organisation_reviewing_unit_has_parent",
            ),
        ]

    DEFAULT_OFFICE = {
        Kind.DISTRICT_OFFICE: _("Phòng Giáo dục và Đào tạo"),
        Kind.WARD_COMMITTEE: _("Phòng Văn hóa – Xã hội"),
        Kind.DEPARTMENT: "",
    }
    DEFAULT_HEAD_TITLE = {
        Kind.DISTRICT_OFFICE: _("Trưởng phòng"),
        Kind.WARD_COMMITTEE: _("Trưởng phòng Văn hóa – Xã hội"),
        Kind.DEPARTMENT: _("Giám đốc Sở"),
    }

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        """The unit as its texts name it: "Phòng GD&ĐT Đống Đa", "UBND phường Cửa Nam"."""
        return str(self)

    @property
    def office(self) -> str:
        """The office that does the work: "Phòng Giáo dục và Đào tạo", "Phòng Văn hóa – Xã hội"."""
        return self.office_name or str(self.DEFAULT_OFFICE.get(self.kind, ""))

    @property
    def head_label(self) -> str:
        """The head's title: "Trưởng phòng", "Trưởng phòng Văn hóa – Xã hội", "Giám đốc Sở"."""
        return self.head_title or str(self.DEFAULT_HEAD_TITLE.get(self.kind, "")) or str(_("Thủ trưởng đơn vị"))

    @property
    def is_reviewing_unit(self) -> bool:
        return self.kind != self.Kind.DEPARTMENT


class School(models.Model):
    """A school (trường) managed by a reviewing unit."""

    class Level(models.TextChoices):
        PRESCHOOL = "mn", _("Mầm non")
        PRIMARY = "th", _("Tiểu học")
        LOWER_SECONDARY = "thcs", _("Trung học cơ sở")
        UPPER_SECONDARY = "thpt", _("Trung học phổ thông")
        MULTI_LEVEL = "multi", _("Phổ thông có nhiều cấp học")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Công lập")
        PRIVATE = "private", _("Tư thục")
        PEOPLE_FOUNDED = "people", _("Dân lập")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang hoạt động")
        MERGED = "merged", _("Đã sáp nhập")
        CLOSED = "closed", _("Đã giải thể")

    code = models.CharField(_("mã trường"), max_length=30, unique=True)
    name = models.CharField(_("tên trường"), max_length=200)
    former_names = models.TextField(_("tên cũ"), blank=True, help_text=_("Mỗi tên một dòng."))
    level = models.CharField(_("cấp học"), max_length=10, choices=Level.choices)
    ownership = models.CharField(_("loại hình"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC)
    reviewing_unit = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị quản lý trực tiếp"), on_delete=models.PROTECT, related_name="schools"
    )
    founding_year = models.PositiveSmallIntegerField(_("năm thành lập"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    ward = models.CharField(_("phường/xã"), max_length=100, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    principal_name = models.CharField(_("hiệu trưởng"), max_length=120, blank=True)
    sites_count = models.PositiveSmallIntegerField(_("số điểm trường"), default=1)
    is_difficult_area = models.BooleanField(_("vùng khó khăn"), default=False)
    is_especially_difficult_area = models.BooleanField(_("vùng đặc biệt khó khăn"), default=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("sáp nhập vào"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every save through the services and the import: an edit page posts back the
    # revision it showed, and a save based on an older one is refused (concurrent edits).
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("trường")
        verbose_name_plural = _("trường")
        ordering = ["level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(founding_year__isnull=True) | Q(founding_year__gte=1800, founding_year__lte=2100),
                name="schools_school_founding_year_range",
            ),
            models.CheckConstraint(condition=Q(sites_count__gte=1), name="schools_school_sites_count_positive"),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="schools_school_merged_has_target",
            ),
        ]
        indexes = [models.Index(fields=["reviewing_unit", "level"], name="schools_school_unit_level")]

    def __str__(self) -> str:
        return self.name

    def years_operating(self, on: datetime.date | None = None) -> int | None:
        if not self.founding_year:
            return None
        on = on or timezone.localdate()
        return max(0, on.year - self.founding_year)


# How pages show a school's status (``{% state_badge school %}``).
declare_states(States(School, tones={School.Status.ACTIVE: "success", School.Status.MERGED: "secondary",
                                     School.Status.CLOSED: "secondary"}))


class SchoolYear(models.Model):
    """A school year (năm học) such as 2024-2025."""

    code = models.CharField(_("năm học"), max_length=9, unique=True, help_text="2024-2025")
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))

    class Meta:
        verbose_name = _("năm học")
        verbose_name_plural = _("năm học")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="schools_schoolyear_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def first_year(self) -> int:
        return int(self.code[:4])

    @classmethod
    def code_for(cls, first_year: int) -> str:
        return f"{first_year}-{first_year + 1}"


class User(AbstractUser):
    """A person who logs in with username or e-mail."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    # The language the person chose with the switch ("" = never chose: Vietnamese); pages,
    # notifications and e-mails to them are written in it (kiemdinh.language.language_of).
    language = models.CharField(_("ngôn ngữ"), max_length=8, blank=True, choices=settings.LANGUAGES)
    # Raised by each save of the person's details (profile, account page); see School.revision.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        # A login name (what is typed in the login box) is a username or an e-mail and must lead to
        # one account: usernames and e-mails are each unique whatever their case, and a username
        # holds no "@" unless it is the account's own e-mail, while an e-mail always holds one. So
        # no username can equal another account's e-mail, with row-local checks only (no trigger,
        # no side table that an admin edit or a bulk write could leave out of step).
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="schools_user_email_unique_ci",
                violation_error_message=_("Email này đã được dùng cho một tài khoản khác."),
            ),
            models.UniqueConstraint(
                Lower("username"), name="schools_user_username_unique_ci",
                violation_error_message=_("Tên đăng nhập này đã có người dùng (không phân biệt chữ hoa, chữ thường)."),
            ),
            models.CheckConstraint(
                condition=~Q(username__contains="@") | Q(Exact(Lower("username"), Lower("email"))),
                name="schools_user_username_not_an_email",
                violation_error_message=_("Tên đăng nhập không được là một địa chỉ email (trừ chính email của tài khoản)."),
            ),
            models.CheckConstraint(
                condition=Q(email="") | Q(email__contains="@"), name="schools_user_email_has_at",
                violation_error_message=_("Email không hợp lệ."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Membership(models.Model):
    """Ties a user to a school or an organisation with a role; a user may hold several."""

    class Role(models.TextChoices):
        PRINCIPAL = "principal", _("Hiệu trưởng")
        SCHOOL_STAFF = "school_staff", _("Cán bộ, giáo viên nhà trường")
        DISTRICT_REVIEWER = "district_reviewer", _("Chuyên viên đơn vị thẩm định")
        DISTRICT_HEAD = "district_head", _("Thủ trưởng đơn vị thẩm định")
        DEPARTMENT_OFFICER = "department_officer", _("Chuyên viên Sở GD&ĐT")
        ADMIN = "admin", _("Quản trị hệ thống")

    SCHOOL_ROLES = frozenset({Role.PRINCIPAL, Role.SCHOOL_STAFF})
    DISTRICT_ROLES = frozenset({Role.DISTRICT_REVIEWER, Role.DISTRICT_HEAD})

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        School, verbose_name=_("trường"), null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    title = models.CharField(_("chức danh"), max_length=120, blank=True)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò người dùng")
        verbose_name_plural = _("vai trò người dùng")
        constraints = [
            # School roles point at a school; every other role except admin at an organisation.
            models.CheckConstraint(
                condition=(
                    Q(role__in=["principal", "school_staff"], school__isnull=False, organisation__isnull=True)
                    | Q(
                        role__in=["district_reviewer", "district_head", "department_officer"],
                        school__isnull=True,
                        organisation__isnull=False,
                    )
                    | Q(role="admin", school__isnull=True)
                ),
                name="schools_membership_target_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="schools_membership_unique_school_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="schools_membership_unique_organisation_role",
            ),
        ]

    def __str__(self) -> str:
        target = self.school or self.organisation or ""
        return f"{self.role_label} – {target}" if target else self.role_label

    @property
    def target(self):
        return self.school or self.organisation

    @property
    def role_label(self) -> str:
        """The role in the unit's own words where the unit is known: its head's title for the head
        ("Trưởng phòng Văn hóa – Xã hội"), "Chuyên viên" for a reviewer (the unit is shown beside)."""
        if self.role == self.Role.DISTRICT_HEAD and self.organisation is not None:
            return self.organisation.head_label
        if self.role == self.Role.DISTRICT_REVIEWER and self.organisation is not None:
            return str(_("Chuyên viên"))
        return str(self.get_role_display())
