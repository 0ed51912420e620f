"""Read-only admin pages for support: every change goes through the services and the app's pages
(permission checks, concurrent-edit guards, computed dates, the audit trail), never through here."""

from django.contrib import admin

from .models import (
    AccreditationPlan,
    Certificate,
    EvaluationRound,
    ExternalEvaluation,
    Facilities57,
    Milestone,
    PeriodicReport,
    Recognition57,
    ReminderLog,
    ReportingDeadline,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccreditationPlan)
class AccreditationPlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "unit", "title", "document_number"]
    list_filter = ["year", "unit"]
    list_select_related = ["unit"]


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "number", "unit", "dossier_date"]
    list_filter = ["year", "unit"]
    list_select_related = ["unit"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["round", "owner", "title", "due_date", "done_at"]
    list_filter = ["owner", "round__unit"]
    list_select_related = ["round", "round__unit"]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(ReadOnlyAdmin):
    list_display = ["unit", "school_year", "period", "due_date"]
    list_filter = ["school_year", "period", "unit"]
    list_select_related = ["unit", "school_year"]


@admin.register(PeriodicReport)
class PeriodicReportAdmin(ReadOnlyAdmin):
    list_display = ["school", "deadline", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["school__code", "school__name"]
    list_select_related = ["school", "deadline", "deadline__school_year"]


@admin.register(ExternalEvaluation)
class ExternalEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["school", "status", "visit_start", "final_report_date", "proposed_accreditation_level"]
    list_filter = ["status"]
    search_fields = ["school__code", "school__name"]
    list_select_related = ["school"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["school", "decision_number", "decision_date", "accreditation_level", "national_standard_level",
                    "valid_until"]
    list_filter = ["accreditation_level", "national_standard_level"]
    search_fields = ["school__code", "school__name", "decision_number"]
    list_select_related = ["school"]


@admin.register(Recognition57)
class Recognition57Admin(ReadOnlyAdmin):
    list_display = ["school", "decision_number", "decision_date", "degree", "valid_until", "upgrade_eligible_on"]
    list_filter = ["degree"]
    search_fields = ["school__code", "school__name", "decision_number"]
    list_select_related = ["school"]


@admin.register(Facilities57)
class Facilities57Admin(ReadOnlyAdmin):
    list_display = ["school", "degree", "recorded_at", "recorded_by"]
    list_filter = ["degree"]
    search_fields = ["school__code", "school__name"]
    list_select_related = ["school", "recorded_by"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    """Which reminders went out, when and to how many people (support questions: "we got nothing")."""

    list_display = ["day", "kind", "days", "due_date", "school", "unit", "recipients"]
    list_filter = ["kind", "day"]
    search_fields = ["key", "school__code", "school__name"]
    list_select_related = ["school", "unit"]
