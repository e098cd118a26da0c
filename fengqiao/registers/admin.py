from django.contrib import admin

from fengqiao.registers.models import (
    AdviserTarget,
    LegalAdviser,
    MediatorRating,
    RegisterPerson,
    SubsidyRule,
)


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(admin.ModelAdmin[SubsidyRule]):
    """Where the county keeps its 以案定补 and 星级奖补 amounts."""

    list_display = ("region", "kind", "difficulty", "outcome", "amount", "basis")
    list_filter = ("kind",)
    raw_id_fields = ("region",)


@admin.register(RegisterPerson)
class RegisterPersonAdmin(admin.ModelAdmin[RegisterPerson]):
    list_display = ("name", "role", "village", "duties", "phone_masked", "is_active")
    list_filter = ("role", "is_active")
    exclude = ("phone_encrypted",)
    readonly_fields = ("phone_masked", "village_prefix")
    raw_id_fields = ("village",)

    def has_add_permission(self, request: object) -> bool:  # added through the register page
        return False


@admin.register(MediatorRating)
class MediatorRatingAdmin(admin.ModelAdmin[MediatorRating]):
    list_display = ("mediator", "year", "stars", "is_gold", "rated_by")
    list_filter = ("year", "is_gold", "stars")
    readonly_fields = ("mediator", "year", "stars", "is_gold", "rated_by")

    def has_add_permission(self, request: object) -> bool:  # rated through the register page
        return False


@admin.register(LegalAdviser)
class LegalAdviserAdmin(admin.ModelAdmin[LegalAdviser]):
    list_display = ("name", "law_firm", "duty_days", "user", "is_active")
    filter_horizontal = ("villages",)
    raw_id_fields = ("user", "law_firm")


@admin.register(AdviserTarget)
class AdviserTargetAdmin(admin.ModelAdmin[AdviserTarget]):
    """The yearly 考核 of advisers: duties of each kind per village."""

    list_display = ("region", "kind", "per_village")
    raw_id_fields = ("region",)
