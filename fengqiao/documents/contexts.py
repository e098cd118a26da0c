"""What each document says, as plain strings and lists: one pure function per document from a
``CaseFile`` snapshot (STYLE C2 "Documents"). Templates only place these values.

The values are already formatted (dates as 2026年1月5日, labels in Chinese, long texts split into
lines), so the same context fills a .docx (Jinja) and an HTML page (Django templates) alike.

Personal data: documents for official use carry the parties' full names and addresses; ID
numbers and phone numbers are printed masked (ARCHITECTURE rule 6, DOMAIN §9.5 "mask by default
in exports and prints"). Where a court or the parties need them in full (申请书, 受理登记表,
司法确认申请书: 民诉法解释 art.354), a user allowed to unmask asks for it and every party shown is
audited like a reveal on the case page (``services.document_generate``).
"""

from datetime import date
from typing import Any

from django.utils import timezone

from fengqiao.cases import particulars
from fengqiao.cases.choices import (
    CaseOutcome,
    Channel,
    Gender,
    IdType,
    PartyKind,
    PartyRole,
    TerminationReason,
)
from fengqiao.cases.models import Party
from fengqiao.cases.particulars import Particulars
from fengqiao.core import clock
from fengqiao.documents.casefile import CaseFile
from fengqiao.mediation import rules
from fengqiao.mediation.choices import PerformanceState, Satisfaction, SignatureRole
from fengqiao.mediation.models import Agreement

Context = dict[str, Any]

# 案件来源 on the 受理登记表 and 结案报告表 (DOMAIN §6.3): the MoJ's two values plus the referrals
# practice adds, mapped from the intake channel.
SOURCE_BY_CHANNEL: dict[str, str] = {
    Channel.WALK_IN: "当事人申请",
    Channel.ONLINE: "当事人申请",
    Channel.PHONE: "当事人申请",
    Channel.PROACTIVE: "人民调解委员会主动调解",
    Channel.GRID: "人民调解委员会主动调解",
    Channel.PATROL: "人民调解委员会主动调解",
    Channel.INFORMANT: "人民调解委员会主动调解",
    Channel.POLICE_110: "公安机关移交",
    Channel.COURT: "审判机关委托",
    Channel.PROCURATORATE: "检察机关移交",
    Channel.PETITION: "政府部门指定",
    Channel.HOTLINE_12345: "政府部门指定",
    Channel.DEPARTMENT: "政府部门指定",
    Channel.IMPORT: "当事人申请",
}
ROLE_NAMES: dict[str, str] = {
    PartyRole.APPLICANT: "申请人",
    PartyRole.RESPONDENT: "被申请人",
    PartyRole.THIRD_PARTY: "第三人",
}
TERMINATION_NAMES: dict[str, str] = {
    TerminationReason.SETTLED_WITHDREW: "当事人自行和解并撤回调解申请",
    TerminationReason.UNREACHABLE: "当事人无法联系",
    TerminationReason.UNWILLING: "当事人明确表示不愿继续调解",
    TerminationReason.TOO_FAR_APART: "当事人分歧较大，难以达成调解协议",
    TerminationReason.PERIOD_EXPIRED: "调解期限届满未达成调解协议",
    TerminationReason.REFUSED_TO_SIGN: "当事人拒绝在调解协议上签字",
    TerminationReason.CONCEALMENT: "当事人隐瞒重要事实、提供虚假材料",
    TerminationReason.DELIBERATE_DELAY: "当事人故意拖延",
    TerminationReason.SUSPECTED_COLLUSION: "当事人涉嫌恶意串通、虚假调解，损害他人合法权益",
    TerminationReason.OTHER: "其他原因",
}
# What the 终止调解告知书 cites (人民调解法 art.26: mediation that fails is terminated). A party
# who hides facts or delays breaches art.24 (如实陈述纠纷事实); a mediation used to harm others
# breaks art.3(2) (不违背法律、法规和国家政策). An administrative body cites no 人民调解法.
TERMINATION_BASIS: dict[str, str] = {
    TerminationReason.CONCEALMENT: "《中华人民共和国人民调解法》第二十四条、第二十六条",
    TerminationReason.DELIBERATE_DELAY: "《中华人民共和国人民调解法》第二十四条、第二十六条",
    TerminationReason.SUSPECTED_COLLUSION: "《中华人民共和国人民调解法》第三条、第二十六条",
}
PEOPLES_TERMINATION_BASIS = "《中华人民共和国人民调解法》第二十六条"
SATISFACTION_NAMES: dict[str, str] = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.FAIRLY: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
}
OUTCOME_NAMES: dict[str, str] = {
    CaseOutcome.RESOLVED: "调解成功",
    CaseOutcome.TERMINATED: "调解终止",
    CaseOutcome.WITHDRAWN: "当事人撤回申请",
    CaseOutcome.DECLINED: "不予受理",
    CaseOutcome.MERGED: "并案处理",
}
FORM_NAMES: dict[str, str] = {"written": "书面", "oral": "口头"}
PERFORMANCE_NAMES: dict[str, str] = {
    PerformanceState.PENDING: "未到履行期限",
    PerformanceState.PERFORMED: "已履行",
    PerformanceState.PARTLY: "部分履行",
    PerformanceState.NOT_PERFORMED: "未履行",
}


def performance(state: str, due_on: date | None, on: date) -> str:
    """A term's 履行情况 as of ``on``: a term nobody has reported on is 未到履行期限 only while
    its deadline has not passed; after it, the page must not say so (it is awaiting a check)."""
    if state == PerformanceState.PENDING and due_on is not None and due_on < on:
        return "履行期限已过，履行情况待核实"
    return PERFORMANCE_NAMES.get(state, "")


def day(value: date | None) -> str:
    """2026年1月5日; empty when unknown, so the printed form leaves the space to fill in."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def lines(text: str) -> list[str]:
    """A long text as its non-empty lines: each becomes a paragraph in either format."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


ID_TYPE_NAMES: dict[str, str] = {
    IdType.RESIDENT_ID: "居民身份证",
    IdType.HK_MACAU_PERMIT: "港澳居民来往内地通行证",
    IdType.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    IdType.PASSPORT: "护照",
    IdType.FOREIGN_PERMANENT: "外国人永久居留身份证",
    IdType.CREDIT_CODE: "统一社会信用代码",
    IdType.OTHER: "证件",
}
GENDER_NAMES: dict[str, str] = {Gender.MALE: "男", Gender.FEMALE: "女"}


def _id_type_name(item: Party) -> str:
    if item.id_type:
        return ID_TYPE_NAMES.get(item.id_type, "证件")
    return "居民身份证" if item.kind == PartyKind.PERSON else "证件"


def _line(item: Party, shown: dict[str, str]) -> str:
    """The particulars as the MoJ forms and court papers write them, one clause per known
    value and nothing for an unknown one: "张三，男，汉族，1990年1月1日出生（36岁），农民，
    住……，居民身份证号码……，联系方式……" (an empty 住址 once printed "住址：，", issue #14)."""
    clauses = [item.name]
    organisation = item.kind == PartyKind.ORGANISATION
    if organisation:
        if shown["address"]:
            clauses.append(f"住所地{shown['address']}")
        if shown["id_number"]:
            clauses.append(f"{shown['id_type']}{shown['id_number']}")
        if shown["representative"]:
            title = f"（{shown['representative_title']}）" if shown["representative_title"] else ""
            clauses.append(f"法定代表人或负责人{shown['representative']}{title}")
    else:
        clauses += [shown[key] for key in ("gender", "ethnicity") if shown[key]]
        if shown["birth_date"]:
            clauses.append(f"{shown['birth_date']}出生（{shown['age']}岁）")
        if shown["occupation"]:
            clauses.append(shown["occupation"])
        if shown["address"]:
            clauses.append(f"住{shown['address']}")
        if shown["id_number"]:
            clauses.append(f"{shown['id_type']}号码{shown['id_number']}")
    if shown["phone"]:
        clauses.append(f"联系方式{shown['phone']}")
    if shown["agent"]:
        clauses.append(f"委托代理人{shown['agent']}")
    return "，".join(clauses)


def party(
    item: Party,
    revealed: dict[int, dict[str, str]] | None = None,
    held: dict[int, Particulars] | None = None,
    on: date | None = None,
) -> dict[str, str]:
    """A party's particulars; ID number and phone masked unless ``revealed`` holds them (see
    ``services.document_generate``, ``full_identifiers``); 性别, 民族, 出生日期, 职业… only when
    ``held`` has them (the documents that print particulars), empty otherwise. The age is the
    age on ``on``, the document's own date (an agreement printed a year later must still say
    how old the party was when it was signed), today when the document has none."""
    plain = (revealed or {}).get(item.pk, {})
    values = (held or {}).get(item.pk) or Particulars()
    born = values.birth_date
    shown = {
        "name": item.name,
        "role": ROLE_NAMES.get(item.role, item.role),
        "kind": "单位" if item.kind == PartyKind.ORGANISATION else "自然人",
        "address": item.address_plain(),  # official documents carry the full address (see top)
        "phone": plain.get("phone") or item.phone_masked,
        "id_number": plain.get("id_number") or item.id_number_masked,
        "id_type": _id_type_name(item),
        "gender": GENDER_NAMES.get(values.gender, ""),
        "ethnicity": values.ethnicity,
        "birth_date": day(born),
        "age": str(particulars.age_on(born, on or clock.today())) if born else "",
        "occupation": values.occupation,
        "representative": values.representative,
        "representative_title": values.representative_title,
        "agent": values.agent,
    }
    shown["line"] = _line(item, shown)
    return shown


def common(data: CaseFile, *, dated: date | None = None) -> Context:
    """What every document shows: the committee, the numbers, the dispute and its parties.
    ``dated``: the document's own date (an agreement's, a closing's), which the page prints and
    the ages are counted to; today when it has none."""
    case = data.case
    registered = timezone.localdate(case.created_at)
    pairs = [(p, party(p, data.revealed, data.particulars, dated)) for p in data.parties]
    parties = [shown for _p, shown in pairs]
    return {
        "committee": data.committee or case.handling_org.name,
        "case_number": case.number,
        # issue #14: no longer read off the case number, which other units' numbers repeat
        "dossier_number": data.file_number,
        "case_title": case.title,
        "category": case.category.name if case.category_id else "",
        "place": case.address or case.region.name,
        "description": lines(case.description),
        "registered_on": day(registered),
        "accepted_on": day(data.accepted_on),
        "today": day(dated or clock.today()),
        "parties": parties,
        "party_names": "、".join(p["name"] for p in parties),
        "applicants": [shown for p, shown in pairs if p.role == PartyRole.APPLICANT],
        "respondents": [shown for p, shown in pairs if p.role != PartyRole.APPLICANT],
        "copies": len(parties) + 1,
    }


def application(data: CaseFile) -> Context:
    """人民调解申请书: applicants, respondents, the dispute and what is asked (DOMAIN §6.3)."""
    context = common(data)
    claims = lines(data.case.claims) or ["请求人民调解委员会依法主持调解，化解纠纷。"]
    context["claims"] = [f"{n}. {text}" for n, text in enumerate(claims, start=1)]
    return context


def registration(data: CaseFile) -> Context:
    """人民调解受理登记表: the date, the parties, the type and source of the dispute."""
    context = common(data)
    case = data.case
    context.update(
        source=SOURCE_BY_CHANNEL.get(case.channel, ""),
        channel=case.get_channel_display(),
        registrar=case.registered_by.full_name or case.registered_by.username,
    )
    return context


def rights_notice(data: CaseFile) -> Context:
    """权利义务告知书 (人民调解法 arts.23–24): the fixed text plus who was told, and when."""
    context = common(data)
    notices = {n.party_id: n for n in data.rights}
    context["notices"] = [
        {
            "name": p.name,
            "role": party(p)["role"],
            "notified_on": day(notices[p.pk].notified_on) if p.pk in notices else "",
            "acknowledged": "已签收" if p.pk in notices and notices[p.pk].acknowledged else "",
        }
        for p in data.parties
    ]
    return context


def investigation(data: CaseFile) -> Context:
    """人民调解调查记录: time, place, investigators, person or matter, findings."""
    context = common(data)
    context["investigations"] = [
        {
            "on": day(item.investigated_on),
            "place": item.place,
            "investigators": item.investigators,
            "subject": item.subject,
            "record": lines(item.record),
            "recorder": item.recorded_by.full_name or item.recorded_by.username,
        }
        for item in data.investigations
    ]
    return context


def session_record(data: CaseFile) -> Context:
    """人民调解记录 (调解笔录): each session's time, place, people and record."""
    context = common(data)
    context["sessions"] = [
        {
            "at": f"{day(timezone.localtime(s.held_at).date())} "
            f"{timezone.localtime(s.held_at):%H:%M}",
            "place": s.place or ("在线调解" if s.mode == "online" else ""),
            "mode": s.get_mode_display(),
            "mediators": "、".join(m.name for m in s.mediators.all()),
            "attendees": s.attendees,
            "invitees": s.invitees,
            "record": lines(s.record),
            "recorder": s.recorded_by.full_name or s.recorded_by.username,
        }
        for s in data.sessions
    ]
    context["basis"] = "、".join(data.basis.get("mediation_record", []))
    return context


def _terms(agreement: Agreement) -> list[dict[str, str]]:
    return [
        {
            "no": str(n),
            "content": t.content,
            "obligor": t.obligor,
            "manner": t.manner,
            "place": t.place,
            "due_on": day(t.due_on),
            "state": PERFORMANCE_NAMES.get(t.state, ""),
        }
        for n, t in enumerate(agreement.terms.all(), start=1)
    ]


def _agreement_common(data: CaseFile, agreement: Agreement) -> Context:
    context = common(data, dated=agreement.effective_on or agreement.reached_on)
    signatures = list(agreement.signatures.all())
    signed = {s.party_id: s for s in signatures if s.role == SignatureRole.PARTY}
    mediators = [s for s in signatures if s.role == SignatureRole.MEDIATOR]
    context.update(
        agreement_form=agreement.get_form_display(),
        is_draft=agreement.effective_on is None,
        particulars=lines(agreement.parties_particulars),
        facts=lines(agreement.facts),
        issues=lines(agreement.issues),
        responsibilities=lines(agreement.responsibilities),
        oral_record=lines(agreement.oral_record),
        terms=_terms(agreement),
        reached_on=day(agreement.reached_on),
        effective_on=day(agreement.effective_on),
        signatures=[
            {
                "name": p.name,
                "role": party(p)["role"],
                "signed_on": day(signed[p.pk].signed_on) if p.pk in signed else "",
            }
            for p in data.parties
        ],
        mediator=mediators[0].signer_name if mediators else _recorded_by(data, agreement),
        mediator_signed_on=day(mediators[0].signed_on) if mediators else "",
        recorder=agreement.created_by.full_name or agreement.created_by.username,
        dated=day(agreement.effective_on or agreement.reached_on),
        basis="、".join(data.basis.get("agreement", [])),
    )
    return context


def _recorded_by(data: CaseFile, agreement: Agreement) -> str:
    """The mediator an agreement in force names when no signature or session here does: the
    case's mediator of record — a history import's agreement, whose signed paper is in the
    archive (issue #21 item 7), or an oral one recorded without a session. A draft waits for
    the mediator's signature."""
    return data.mediator_of_record if agreement.effective_on is not None else ""


def agreement(data: CaseFile) -> Context:
    """人民调解协议书 (人民调解法 art.29): particulars, facts, issues, responsibilities, terms with
    manner, place and deadline, signatures, seal, and the copies."""
    written = data.written
    assert written is not None  # noqa: S101  availability checked first (kinds.unavailable)
    return _agreement_common(data, written)


def oral_agreement(data: CaseFile) -> Context:
    """人民调解口头协议登记表 (人民调解法 arts.28, 30): the content the mediator recorded."""
    oral = data.oral
    assert oral is not None  # noqa: S101  availability checked first
    return _agreement_common(data, oral)


def follow_up(data: CaseFile) -> Context:
    """人民调解回访记录: who was visited, about which agreement, what was found (DOMAIN §6.3)."""
    context = common(data)
    context["visits"] = [
        {
            "on": day(v.done_on),
            "method": v.method,
            "outcome": lines(v.outcome),
            "satisfaction": SATISFACTION_NAMES.get(v.satisfaction, ""),
            "term": v.term.content if v.term else "",
            "performed": {True: "已履行", False: "未履行", None: ""}[v.term_performed],
            "visitor": (v.recorded_by.full_name or v.recorded_by.username) if v.recorded_by else "",
        }
        for v in data.visits
    ]
    return context


def confirmation(data: CaseFile) -> Context:
    """司法确认申请书 (人民调解法 art.33; 民事诉讼法 art.205; 民诉法解释 art.354): a joint
    application by all parties within 30 days of the agreement taking effect."""
    in_force = data.in_force
    assert in_force is not None  # noqa: S101  availability checked first
    assert in_force.effective_on is not None  # noqa: S101
    context = _agreement_common(data, in_force)
    context.update(
        court=in_force.confirmation_court,
        applied_on=day(in_force.confirmation_applied_on),
        deadline=day(rules.confirmation_deadline(in_force.effective_on)),
    )
    return context


def undisputed_facts(data: CaseFile) -> Context:
    """无争议事实记载表 (DOMAIN §3.5): the facts no party disputes and who confirmed them."""
    failure = data.failure
    assert failure is not None  # noqa: S101
    context = common(data)
    confirmed = {p.pk for p in failure.confirmed_by.all()}
    context.update(
        facts=lines(failure.undisputed_facts),
        confirmations=[
            {
                "name": p.name,
                "role": party(p)["role"],
                "confirmed": "已确认" if p.pk in confirmed else "",
            }
            for p in data.parties
        ],
        recorded_on=day(timezone.localdate(failure.updated_at)),
    )
    return context


def termination(data: CaseFile) -> Context:
    """终止调解告知书 (人民调解法 art.26): why mediation ended and the routes still open."""
    event = data.terminated
    assert event is not None  # noqa: S101
    context = common(data)
    reason = str(event.data.get("termination_reason", ""))
    routes = data.failure.other_routes if data.failure else ""
    referred = str(event.data.get("referred_to", ""))
    if data.administrative:
        basis = "有关法律、法规关于行政调解的规定"
    else:
        basis = TERMINATION_BASIS.get(reason, PEOPLES_TERMINATION_BASIS)
    reported = ""
    if data.sham_reported_to:  # 特邀调解规定 art.18: stopped and reported
        reported = f"{we(data)}已将有关情况报告{'、'.join(data.sham_reported_to)}。"
    elif data.sham_reported_to is not None:
        reported = f"{we(data)}将以书面形式向有关机关报告有关情况。"
    context.update(
        terminated_on=day(timezone.localdate(event.occurred_at)),
        reason=TERMINATION_NAMES.get(reason, reason),
        basis=basis,
        we=we(data),
        reported=reported,
        note=lines(str(event.data.get("note", ""))),
        routes=lines(routes) or lines(referred),
    )
    return context


def we(data: CaseFile) -> str:
    """How the body speaks of itself: 本委员会 (a 人民调解委员会), 本机关 (行政调解)."""
    return "本机关" if data.administrative else "本委员会"


def is_application(data: CaseFile) -> bool:
    """申请调解: the parties asked for mediation (人民调解法 art.17), as opposed to a committee's
    主动调解 or a referral; only such a case has a 申请书."""
    return SOURCE_BY_CHANNEL.get(data.case.channel) == "当事人申请"


def identity(data: CaseFile) -> Context:
    """当事人身份证明材料: each party's particulars, with room for the copy of the ID papers."""
    return common(data)


def presided(data: CaseFile) -> Context:
    """主持调解证明: the committee certifies it presided over the mediation that produced the
    agreement in force (for the court hearing a 司法确认, 民诉法解释 art.355)."""
    in_force = data.in_force
    assert in_force is not None  # noqa: S101  availability checked first
    context = _agreement_common(data, in_force)
    context.update(
        mediators="、".join(data.mediator_names),
        agreement_form=FORM_NAMES.get(in_force.form, ""),
    )
    return context


def closing_report(data: CaseFile) -> Context:
    """人民调解结案报告表: source, dates, mediators, sessions, result, form and performance, as
    they stood on the day the case was concluded, the day the form bears (printed later, it
    had said 未到履行期限 under a date long after the deadline)."""
    context = common(data, dated=data.concluded_on)
    on = data.concluded_on or clock.today()
    case = data.case
    in_force = data.in_force if case.outcome == CaseOutcome.RESOLVED else None
    terms = list(in_force.terms.all()) if in_force else []
    context.update(
        source=SOURCE_BY_CHANNEL.get(case.channel, ""),
        concluded_on=day(data.concluded_on),
        mediators="、".join(data.mediator_names),
        sessions_count=str(len(data.sessions)),
        outcome=OUTCOME_NAMES.get(case.outcome, ""),
        agreement_form=FORM_NAMES.get(in_force.form, "") if in_force else "",
        performance=[
            f"{n}. {t.content}：{performance(t.state, t.due_on, on)}"
            for n, t in enumerate(terms, start=1)
        ]
        or ["无调解协议需履行。" if in_force is None else "无"],
    )
    return context
