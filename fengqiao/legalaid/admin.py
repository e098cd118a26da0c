from django.contrib import admin

from fengqiao.legalaid.models import HardshipStandard, LegalAidReferral


@admin.register(HardshipStandard)
class HardshipStandardAdmin(admin.ModelAdmin[HardshipStandard]):
    list_display = ("region", "monthly_income_per_person", "basis")
    raw_id_fields = ("region",)


@admin.register(LegalAidReferral)
class LegalAidReferralAdmin(admin.ModelAdmin[LegalAidReferral]):
    list_display = ("applicant_name", "source", "centre", "verdict", "status", "created_at")
    list_filter = ("status", "source", "verdict")
    exclude = ("phone_encrypted",)
    readonly_fields = (
        "source",
        "case",
        "centre",
        "answers",
        "verdict",
        "reasons",
        "papers",
        "applicant_name",
        "phone_masked",
        "status",
        "answer_note",
        "answered_at",
        "answered_by",
        "created_by",
    )

    def has_add_permission(
        self, request: object
    ) -> bool:  # referrals come from cases and the portal
        return False
