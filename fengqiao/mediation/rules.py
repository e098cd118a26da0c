"""Legal rules of mediation that need no database: the art.29 checklist, the 司法确认 deadline,
and the grounds on which a court will not accept an application for confirmation."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from fengqiao.cases import particulars
from fengqiao.cases.choices import AgreementForm

if TYPE_CHECKING:
    from fengqiao.mediation.models import Agreement

# 民事诉讼法 (2023) art.205 / 人民调解法 art.33: the parties apply jointly
# "自调解协议生效之日起三十日内". Plain calendar days; the day the agreement takes effect does
# not count (民法典 art.201).
CONFIRMATION_DAYS = 30

# 民诉法解释 (2022) art.355: applications the court does not accept. Codes of subcategories whose
# agreements concern status relationships or the ownership of real rights / IP, and words in the
# terms that show the same.
NOT_CONFIRMABLE_SUBCATEGORIES: dict[str, str] = {
    "marriage_family.divorce": "status",  # 婚姻关系
    "housing_homestead.homestead_boundary": "ownership",  # 宅基地使用权确权
    "housing_homestead.house_ownership": "ownership",  # 房屋所有权确权
    "forest_land.forest_rights": "ownership",  # 山林权属确权
}
NOT_CONFIRMABLE_WORDS: dict[str, tuple[str, ...]] = {
    "status": ("离婚", "婚姻无效", "撤销婚姻", "解除收养", "收养关系", "亲子关系", "确认亲子"),
    "ownership": ("确认所有权", "确权", "归属确认", "所有权归", "使用权归", "知识产权归属"),
}


def confirmation_deadline(effective_on: date) -> date:
    """The last day of the joint application for 司法确认 (民事诉讼法 art.205)."""
    return effective_on + timedelta(days=CONFIRMATION_DAYS)


def not_confirmable_grounds(subcategory_code: str, texts: list[str]) -> list[str]:
    """Codes ("status", "ownership") of the 民诉法解释 art.355 grounds an agreement falls under."""
    grounds = set()
    if subcategory_code in NOT_CONFIRMABLE_SUBCATEGORIES:
        grounds.add(NOT_CONFIRMABLE_SUBCATEGORIES[subcategory_code])
    joined = "\n".join(texts)
    for ground, words in NOT_CONFIRMABLE_WORDS.items():
        if any(word in joined for word in words):
            grounds.add(ground)
    return sorted(grounds)


def ground_label(code: str) -> str:
    return {
        "status": gettext(
            "Status relationships (marriage, parentage, adoption) cannot be judicially confirmed "
            "(民诉法解释 art.355)."
        ),
        "ownership": gettext(
            "Agreements confirming the ownership of real rights or intellectual property cannot "
            "be judicially confirmed (民诉法解释 art.355)."
        ),
    }.get(code, code)


def agreement_content_errors(agreement: "Agreement") -> dict[str, list[str]]:
    """The art.29 checklist (人民调解法 art.29; 人民调解工作若干规定 art.35): field → messages.

    Written: the parties' particulars; the main facts, issues and responsibilities; at least one
    term, each with its manner, place and deadline of performance. Oral (arts.28, 30): the
    mediator's record of the content and the day it was reached.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if agreement.form == AgreementForm.ORAL:
        if not agreement.oral_record.strip():
            add("oral_record", gettext("Record the content of the oral agreement (art.28)."))
        if agreement.reached_on is None:
            add("reached_on", gettext("Enter the day the oral agreement was reached (art.30)."))
        return errors
    # Every party's own recorded particulars (性别, 民族, 出生日期, 职业, 住址, 证件): the document
    # prints them from there. The agreement's own text about the parties is optional, for what
    # those fields do not hold; it was required, so it was filled with the names or the same
    # particulars again, and the agreement printed them twice (issue #14, PNG review).
    for party in agreement.case.parties.all():
        message = particulars.missing_message(party)
        if message:
            add("parties_particulars", message)
    if not agreement.facts.strip():
        add("facts", gettext("State the main facts of the dispute (art.29)."))
    if not agreement.issues.strip():
        add("issues", gettext("State the issues in dispute (art.29)."))
    if not agreement.responsibilities.strip():
        add("responsibilities", gettext("State each party's responsibility (art.29)."))
    terms = list(agreement.terms.all())
    if not terms:
        add("terms", gettext("Add at least one agreed term (art.29)."))
    for term in terms:
        name = f"terms.{term.order}"
        if not term.manner.strip():
            add(name, gettext("Term %(n)s: state the manner of performance.") % {"n": term.order})
        if not term.place.strip():
            add(name, gettext("Term %(n)s: state the place of performance.") % {"n": term.order})
        if term.due_on is None:
            add(name, gettext("Term %(n)s: state the deadline of performance.") % {"n": term.order})
    return errors
