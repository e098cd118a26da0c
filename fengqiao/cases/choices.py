from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")  # 已登记
    ACCEPTED = "accepted", _("Accepted")  # 已受理
    DECLINED = "declined", _("Not accepted")  # 不予受理
    ASSIGNED = "assigned", _("Assigned")  # 已交办
    MEDIATING = "mediating", _("In mediation")  # 调解中
    RESOLVED = "resolved", _("Agreement reached")  # 调解成功
    TERMINATED = "terminated", _("Mediation terminated")  # 调解终止
    TRANSFERRING = "transferring", _("Awaiting receipt")  # 移交/上报待接收
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 已撤回
    CLOSED = "closed", _("Closed")  # 已结案


OPEN_STATUSES = frozenset(
    {
        CaseStatus.REGISTERED,
        CaseStatus.ACCEPTED,
        CaseStatus.ASSIGNED,
        CaseStatus.MEDIATING,
        CaseStatus.TRANSFERRING,
    }
)


class CaseOutcome(models.TextChoices):
    """How a case ended; survives closing so figures never guess it from the status."""

    RESOLVED = "resolved", _("Agreement reached")
    TERMINATED = "terminated", _("Mediation terminated")
    DECLINED = "declined", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MERGED = "merged", _("Merged into another case")  # 并案: counted once, on the primary case


class Channel(models.TextChoices):
    """Where a dispute came from (DOMAIN A1)."""

    GRID = "grid", _("Grid worker report")  # 网格员摸排查报
    PATROL = "patrol", _("Scheduled investigation")  # 村/镇排查
    INFORMANT = "informant", _("Informant / volunteer report")  # 信息员/志愿者上报
    POLICE_110 = "police_110", _("110 police transfer")  # 警调对接
    HOTLINE_12345 = "hotline_12345", _("12345 hotline work order")
    PETITION = "petition", _("Petition")  # 访调对接
    COURT = "court", _("Court delegation")  # 诉调对接 委派/委托
    PROCURATORATE = "procuratorate", _("Procuratorate referral")  # 检调对接
    WALK_IN = "walk_in", _("Walk-in application")  # 当事人来访申请
    ONLINE = "online", _("Online application")
    PHONE = "phone", _("Telephone")
    DEPARTMENT = "department", _("Department referral")  # 部门移交
    PROACTIVE = "proactive", _("Proactive mediation")  # 主动调解 (人民调解法 art.17)
    IMPORT = "import", _("Ledger import")


class RiskLevel(models.TextChoices):
    """Case escalation risk; not the statutory 稳评 level (DOMAIN §7.2 note)."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")  # 申请人
    RESPONDENT = "respondent", _("Respondent")  # 被申请人
    THIRD_PARTY = "third_party", _("Third party")  # 第三人


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Gender(models.TextChoices):
    MALE = "male", _("Male")  # 男
    FEMALE = "female", _("Female")  # 女


class IdType(models.TextChoices):
    """证件类型 of a party (GA/T 517 practice); an organisation's is its 统一社会信用代码."""

    RESIDENT_ID = "resident_id", _("Resident identity card")  # 居民身份证
    HK_MACAU_PERMIT = "hk_macau_permit", _("Mainland travel permit for HK and Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    PASSPORT = "passport", _("Passport")  # 护照
    FOREIGN_PERMANENT = "foreign_permanent", _("Foreign permanent resident ID card")
    CREDIT_CODE = "credit_code", _("Unified social credit code")  # 统一社会信用代码
    OTHER = "other", _("Other certificate")


# The 56 民族 of GB/T 3304-1991, in its order; stored as written (the standard's own names).
_ETHNIC_GROUP_NAMES = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 "
    "哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 "
    "柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 "
    "塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 "
    "鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
)
ETHNIC_GROUPS = tuple(_ETHNIC_GROUP_NAMES.split())


class PartiesConsent(models.TextChoices):
    """What the parties said to mediation when the case was accepted (人民调解法 art.17: 当事人
    一方明确拒绝调解的，不得调解)."""

    CONSENTED = "consented", _("Every party agrees to mediation")  # 各方当事人同意调解
    REFUSED = "refused", _("A party clearly refuses mediation")  # 一方明确拒绝调解


class TerminationReason(models.TextChoices):
    """Why mediation ended without agreement.

    The first six are 人民法院在线调解规则 (法释〔2021〕23号) art.25 grounds (2)–(7); its ground (1)
    is an agreement, which is not a termination. The three after them are the grounds of
    深圳经济特区矛盾纠纷多元化解条例 (2022) art.28 that art.25 does not name: a party conceals
    important facts or gives false material, or deliberately delays (a breach of the duty to state
    the facts truthfully, 人民调解法 art.24); and the parties are suspected of colluding to harm
    the public's or a third party's interests, i.e. 虚假调解, which the mediator must stop and
    report (特邀调解规定 法释〔2016〕14号 art.18; 在线调解规则 art.23: no confirmation, criminal
    leads to the competent organ; 深圳条例 art.85). A collusion termination is never a success and
    is referred for review (``SHAM_SUSPECTED``, ``mediation.sham``).
    """

    SETTLED_WITHDREW = "settled_withdrew", _("The parties settled themselves and withdrew")
    UNREACHABLE = "unreachable", _("A party cannot be reached")
    UNWILLING = "unwilling", _("A party clearly does not want to continue")
    TOO_FAR_APART = "too_far_apart", _("The positions are too far apart")
    PERIOD_EXPIRED = "period_expired", _("The period expired without agreement")
    REFUSED_TO_SIGN = "refused_to_sign", _("A party refuses to sign the agreement")
    CONCEALMENT = (
        "concealment",
        _("A party conceals important facts or provides false material"),
    )  # 当事人隐瞒重要事实、提供虚假材料
    DELIBERATE_DELAY = "deliberate_delay", _("A party deliberately delays")  # 故意拖延
    SUSPECTED_COLLUSION = (
        "suspected_collusion",
        _("The parties are suspected of collusion (sham mediation)"),
    )  # 恶意串通、涉嫌虚假调解
    OTHER = "other", _("Other")


# Terminations a reviewing body must look at: suspected 虚假调解 (特邀调解规定 art.18).
SHAM_SUSPECTED = frozenset({TerminationReason.SUSPECTED_COLLUSION})


class CourtProcedure(models.TextChoices):
    """How a court hands a dispute over (特邀调解规定 art.27): each has its own time limit."""

    DELEGATED = "delegated", _("Delegated before filing (30 days)")  # 委派调解
    ENTRUSTED_ORDINARY = "entrusted_ordinary", _("Entrusted, ordinary procedure (15 days)")
    ENTRUSTED_SIMPLE = "entrusted_simple", _("Entrusted, simple procedure (7 days)")


class ClockStart(models.TextChoices):
    """The day a time limit starts to run from."""

    REGISTERED = "registered", _("From receipt (registration)")
    ACCEPTED = "accepted", _("From acceptance")  # 信访工作条例 art.34: 自受理之日起


class ExtensionRule(models.TextChoices):
    """How the law itself lets a statutory limit be extended; nobody extends it otherwise."""

    NONE = "none", _("Cannot be extended")
    # 信访工作条例 art.34: once, at most 30 days, approved by the 信访 organ, reasons told.
    APPROVAL_ONCE = "approval_once", _("Once, with the competent organ's approval")
    # 特邀调解规定 art.27 and the SPC 2025 opinion item 3: the parties agree, within the cap.
    PARTIES_CONSENT = "parties_consent", _("With the parties' recorded consent")


class DeadlineStage(models.TextChoices):
    """A statutory time limit the system tracks on a case, each with its own due date."""

    HANDLING = "handling", _("Handling limit")  # 办理期限 (信访: 出具处理意见书)
    PETITION_NOTICE = "petition_notice", _("Notice of acceptance")  # 受理告知 (art.23)
    PETITION_REVIEW = "petition_review", _("Review (复查) answer")  # art.35
    PETITION_REREVIEW = "petition_rereview", _("Re-review (复核) answer")  # art.36


class AgreementForm(models.TextChoices):
    WRITTEN = "written", _("Written agreement")  # 人民调解法 art.29
    ORAL = "oral", _("Oral agreement")  # 人民调解法 arts.28, 30


class EventKind(models.TextChoices):
    """What an event on the timeline records; other apps append theirs through
    ``cases.services.case_record_event``."""

    REGISTERED = "registered", _("Registered")
    TRANSITIONED = "transitioned", _("Status changed")
    MARKED_OVERDUE = "marked_overdue", _("Marked overdue")
    # intake and routing
    ROUTED = "routed", _("Routed by rule")
    RECEIVED_AGAIN = "received_again", _("Received again from a channel")
    LINKED = "linked", _("Linked to a related case")
    MERGED = "merged", _("Case merged in")
    RISK_FLAGGED = "risk_flagged", _("Risk signals flagged")
    ATTACHMENT_ADDED = "attachment_added", _("Evidence added")
    RESULT_REPORTED = "result_reported", _("Result reported to the source")
    # mediation (人民调解法 arts.17-33)
    RIGHTS_NOTIFIED = "rights_notified", _("Rights and duties notified")
    SESSION_RECORDED = "session_recorded", _("Mediation session recorded")
    INVESTIGATION_RECORDED = "investigation_recorded", _("Investigation recorded")
    MEDIATION_RECORDED = "mediation_recorded", _("Mediation step recorded")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    AGREEMENT_EFFECTIVE = "agreement_effective", _("Agreement in force")
    CONFIRMATION_FILED = "confirmation_filed", _("Judicial confirmation applied for")
    CONFIRMATION_RULED = "confirmation_ruled", _("Judicial confirmation ruled")
    PERFORMANCE_RECORDED = "performance_recorded", _("Performance recorded")
    FOLLOW_UP_RECORDED = "follow_up_recorded", _("Follow-up visit recorded")
    # portal: the applicant's own rating of the outcome (counted by the 回访满意率 with the visits)
    OUTCOME_RATED = "outcome_rated", _("Outcome rated by the applicant on the portal")
    UNDISPUTED_FACTS_RECORDED = "undisputed_facts", _("Undisputed facts recorded")
    REFERRAL_RECORDED = "referral_recorded", _("Referral recorded")
    DOCUMENT_GENERATED = "document_generated", _("Document generated")
    # supervision
    SUPERVISED = "supervised", _("Supervision notice issued")
    SUPERVISION_REPLIED = "supervision_replied", _("Supervision notice answered")
    NOTE_ADDED = "note_added", _("Note added")


class Action(StrEnum):
    """The workflow's transition names (``cases.workflow.TRANSITIONS``), one spelling each: a
    typo is a mypy error, not an "unknown action" at run time (issue #12). A member equals its
    string, so API paths and stored event data are unchanged."""

    ACCEPT = "accept"
    ACCEPT_TRANSFER = "accept_transfer"
    ASSIGN = "assign"
    CLOSE = "close"
    DECLINE = "decline"
    ESCALATE = "escalate"
    EXTEND_DEADLINE = "extend_deadline"
    MERGE = "merge"
    PAUSE_DEADLINE = "pause_deadline"
    PETITION_OPINION = "petition_opinion"
    PETITION_REREVIEW_REPLY = "petition_rereview_reply"
    PETITION_REREVIEW_REQUEST = "petition_rereview_request"
    PETITION_REVIEW_REPLY = "petition_review_reply"
    PETITION_REVIEW_REQUEST = "petition_review_request"
    RECORD_AGREEMENT = "record_agreement"
    REFUSE_EXTENSION = "refuse_extension"
    REOPEN = "reopen"
    REQUEST_EXTENSION = "request_extension"
    RESUME_DEADLINE = "resume_deadline"
    RETURN_TRANSFER = "return_transfer"
    START_MEDIATION = "start_mediation"
    TERMINATE = "terminate"
    TRANSFER = "transfer"
    WITHDRAW = "withdraw"
