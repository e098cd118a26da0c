from django.contrib import admin

from fengqiao.wellbeing.models import CounsellingRoom, Counsellor, CrisisResponder


@admin.register(CounsellingRoom)
class CounsellingRoomAdmin(admin.ModelAdmin[CounsellingRoom]):
    list_display = ("name", "region", "address", "hours", "is_active")
    raw_id_fields = ("region",)


@admin.register(Counsellor)
class CounsellorAdmin(admin.ModelAdmin[Counsellor]):
    list_display = ("name", "room", "qualification", "user", "is_active")
    raw_id_fields = ("user",)


@admin.register(CrisisResponder)
class CrisisResponderAdmin(admin.ModelAdmin[CrisisResponder]):
    """The people a crisis in a region alerts at once."""

    list_display = ("user", "region", "duty")
    raw_id_fields = ("user", "region")
