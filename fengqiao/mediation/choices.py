from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")  # 在线调解


class SignatureRole(models.TextChoices):
    PARTY = "party", _("Party")
    MEDIATOR = "mediator", _("Mediator")
    SEAL = "seal", _("Committee seal")  # 人民调解委员会印章 (人民调解法 art.29)


class PerformanceState(models.TextChoices):
    PENDING = "pending", _("Not yet due")
    PERFORMED = "performed", _("Performed")
    PARTLY = "partly", _("Partly performed")
    NOT_PERFORMED = "not_performed", _("Not performed")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    FAIRLY = "fairly", _("Fairly satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


class FollowUpState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Ruling(models.TextChoices):
    VALID = "valid", _("Confirmed valid")  # 确认有效
    REJECTED = "rejected", _("Application rejected")  # 驳回申请


class ReferralChannel(models.TextChoices):
    LITIGATION = "litigation", _("Litigation")
    ARBITRATION = "arbitration", _("Arbitration")
    ADMINISTRATIVE = "administrative", _("Administrative channel")
    ENFORCEMENT = "enforcement", _("Enforcement")


class ReferralResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    CONCLUDED = "concluded", _("Concluded")
    DECLINED = "declined", _("Declined")


class NumberKind(models.TextChoices):
    """A series of file numbers an issuing body keeps per year (issue #14 item 2)."""

    PEOPLES = "peoples", _("People's mediation file")  # 人调字
    ADMINISTRATIVE = "administrative", _("Administrative mediation file")  # 行调字


# The word of each series in "（2026）X人调字第N号" (司法部人民调解文书格式).
NUMBER_WORDS: dict[str, str] = {NumberKind.PEOPLES: "人调字", NumberKind.ADMINISTRATIVE: "行调字"}
