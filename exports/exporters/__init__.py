"""Exporters: one class per document, each with ``render() -> (filename, content_type, bytes)``."""

from .report import ReportDocxExporter, ReportPdfExporter

__all__ = ["ReportDocxExporter", "ReportPdfExporter"]
