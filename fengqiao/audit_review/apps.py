from django.apps import AppConfig


class AuditReviewConfig(AppConfig):
    """The auditor's pages over the audit log (search, export, the admin's read-only list).

    Kept apart from ``audit`` itself, which sits at the bottom of the layers so that every app
    can record: reading the log needs roles, jurisdictions and the spreadsheet writer, which sit
    higher (docs/architecture.md)."""

    name = "fengqiao.audit_review"
    label = "audit_review"
    verbose_name = "审计查阅"
