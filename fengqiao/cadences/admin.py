from django.contrib import admin

from fengqiao.cadences.models import CadenceRule, MissedMeeting


@admin.register(CadenceRule)
class CadenceRuleAdmin(admin.ModelAdmin[CadenceRule]):
    """联席会议 at least every 15 days, 研判会 monthly (31), quarterly reviews (92)…"""

    list_display = ("region", "name", "cadence", "max_days", "leader", "is_active")
    raw_id_fields = ("region", "leader")


@admin.register(MissedMeeting)
class MissedMeetingAdmin(admin.ModelAdmin[MissedMeeting]):
    list_display = ("rule", "due_on", "created_at")
    readonly_fields = ("rule", "due_on", "held_on")

    def has_add_permission(self, request: object) -> bool:  # flagged by the scheduler
        return False
