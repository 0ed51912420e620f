"""Read-only admin: catalog content changes only through an import (validated, diffed, applied by a service)."""

from django.contrib import admin

from .models import CatalogImport, Criterion, Indicator, Level4Requirement, Regulation, RegulationVersion, Standard


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = RegulationVersion
    fields = ("code", "amended_by", "effective", "is_base", "is_repealed")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Regulation)
class RegulationAdmin(ReadOnlyAdmin):
    list_display = ("code", "document_number", "family", "status", "verification_status", "effective")
    list_filter = ("family", "status", "verification_status")
    search_fields = ("code", "title", "document_number")
    exclude = ("source",)
    inlines = [VersionInline]


@admin.register(Standard)
class StandardAdmin(ReadOnlyAdmin):
    list_display = ("version", "number", "title", "is_repealed")
    list_filter = ("version__regulation",)
    list_select_related = ("version__regulation",)
    exclude = ("source",)


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "standard", "is_repealed")
    list_filter = ("standard__version__regulation", "standard__version__code")
    list_select_related = ("standard",)
    search_fields = ("number", "title")
    exclude = ("source",)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("criterion", "level", "key", "is_repealed", "repealed_by", "amended_by")
    list_filter = ("criterion__standard__version__regulation", "criterion__standard__version__code", "level",
                   "is_repealed")
    list_select_related = ("criterion",)
    search_fields = ("text", "criterion__number")
    exclude = ("source",)


@admin.register(Level4Requirement)
class Level4RequirementAdmin(ReadOnlyAdmin):
    list_display = ("version", "number", "article")
    list_select_related = ("version__regulation",)
    exclude = ("source",)


@admin.register(CatalogImport)
class CatalogImportAdmin(ReadOnlyAdmin):
    list_display = ("regulation_code", "file_name", "format", "status", "created_by", "created_at")
    list_filter = ("status", "format")
    exclude = ("payload",)
