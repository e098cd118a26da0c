from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    LAW = "law", _("Law article")  # 法律法规
    CASE = "case", _("Typical case")  # 典型案例
    QA = "qa", _("Policy Q&A")  # 政策问答


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public (portal)")
    INTERNAL = "internal", _("Internal (staff only)")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CitedIn(models.TextChoices):
    CASE = "case", _("Case handling")
    MEDIATION_RECORD = "mediation_record", _("Mediation record")  # 调解笔录
    AGREEMENT = "agreement", _("Mediation agreement")  # 调解协议书
