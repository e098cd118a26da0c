from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeKind(models.TextChoices):
    INFO = "info", _("Information, articles and cases")
    LETTER = "letter", _("A template letter")
    AGREEMENT = "agreement", _("A negotiated agreement to sign")  # 协商协议
    REFERRAL = "referral", _("A referral")
    APPLY = "apply", _("The mediation application")


class Referral(models.TextChoices):
    LEGAL_AID = "legal_aid", _("Legal aid centre")  # 法律援助中心
    HOTLINE_12345 = "hotline_12345", _("12345 government hotline")
    COURT = "court", _("People's court")
    POLICE = "police", _("Police (110) for an emergency")


class RunStatus(models.TextChoices):
    ANSWERING = "answering", _("Answering")
    FINISHED = "finished", _("Reached an outcome")
    SETTLED = "settled", _("Settled by the parties themselves")  # 源头化解
    APPLIED = "applied", _("Went on to apply for mediation")
    REFERRED = "referred", _("Referred elsewhere")


# Outcomes after which the citizen may tell us the parties settled it themselves.
SETTLEABLE = frozenset({OutcomeKind.INFO, OutcomeKind.LETTER, OutcomeKind.AGREEMENT})
