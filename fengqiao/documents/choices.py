"""Codes of the documents this app produces (DOMAIN §6.2–6.3) and their file formats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """One Ministry of Justice document type; the code names its template files."""

    APPLICATION = "application", _("Mediation application")  # 人民调解申请书
    REGISTRATION = "registration", _("Acceptance register form")  # 人民调解受理登记表
    RIGHTS_NOTICE = "rights_notice", _("Notice of rights and duties")  # 权利义务告知书
    INVESTIGATION = "investigation", _("Investigation record")  # 人民调解调查记录
    SESSION_RECORD = "session_record", _("Mediation record")  # 人民调解记录
    AGREEMENT = "agreement", _("Mediation agreement")  # 人民调解协议书
    ORAL_AGREEMENT = "oral_agreement", _("Oral agreement register form")  # 口头协议登记表
    FOLLOW_UP = "follow_up", _("Follow-up visit record")  # 人民调解回访记录
    CONFIRMATION = "confirmation", _("Application for judicial confirmation")  # 司法确认申请书
    UNDISPUTED_FACTS = "undisputed_facts", _("Record of undisputed facts")  # 无争议事实记载表
    TERMINATION = "termination", _("Notice of termination")  # 终止调解告知书
    IDENTITY = "identity", _("Parties' identity papers")  # 当事人身份证明材料
    PRESIDED = "presided", _("Certificate of presided mediation")  # 主持调解证明
    CLOSING_REPORT = "closing_report", _("Closing report")  # 人民调解结案报告表
    DOSSIER = "dossier", _("Case file (dossier)")  # 人民调解卷宗


class DocumentFormat(models.TextChoices):
    DOCX = "docx", "Word (.docx)"
    PDF = "pdf", "PDF"


CONTENT_TYPES: dict[str, str] = {
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentFormat.PDF: "application/pdf",
}
