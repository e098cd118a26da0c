from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    """What the rollups count, each counted once per case (``kpi.counting.contributions``)."""

    REGISTERED = "registered", _("Registered")  # 登记
    HANDLING_DUE = "handling_due", _("Due for handling")  # 应调处：登记减并案、不予受理、受理前撤回
    ACCEPTED = "accepted", _("Taken into handling")  # 受理（首次受理或接收）
    RESOLVED = "resolved", _("Agreement reached")  # 调解成功
    TERMINATED = "terminated", _("Mediation terminated")
    DECLINED = "declined", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MERGED = "merged", _("Merged")
    MEDIATION_CONCLUDED = "mediation_concluded", _("Mediations concluded")  # 调解结案
    # 行政调解: the same two counters for mediations an administrative body concluded
    ADMIN_RESOLVED = "admin_resolved", _("Administrative mediation agreements")
    ADMIN_CONCLUDED = "admin_concluded", _("Administrative mediations concluded")
    CONCLUDED = "concluded", _("Concluded")  # any outcome but a merger
    CONCLUDED_ON_TIME = "concluded_on_time", _("Concluded on time")
    OVERDUE = "overdue", _("Marked overdue")
    RISK_FLAGGED = "risk_flagged", _("Risk flagged")
    # 回访满意率: a case by its latest answer, at a follow-up visit or on the portal
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


SATISFACTION_METRICS = {
    "satisfied": Metric.SATISFIED,
    "fairly": Metric.FAIRLY_SATISFIED,
    "dissatisfied": Metric.DISSATISFIED,
}


class ExternalMetric(models.TextChoices):
    """Figures imported per region and period (DOMAIN A5: they come from outside)."""

    POPULATION = "population", _("Resident population")  # 常住人口
    COURT_CIVIL_FIRST = "court_civil_first", _("First-instance civil cases (defendant here)")
    COURT_CRIMINAL_FIRST = (
        "court_criminal_first",
        _("First-instance criminal cases (defendant here)"),
    )
    PRELITIGATION_TOTAL = "prelitigation_total", _("Pre-litigation mediations (defendant here)")
    PRELITIGATION_SUCCESS = "prelitigation_success", _("Successful pre-litigation mediations")
    PLATFORM_ACCEPTED = "platform_accepted", _("Disputes accepted on the court platform")
    PLATFORM_RESIDENT_PRELITIGATION = (
        "platform_resident_prelitigation",
        _("Pre-litigation cases with a party living here"),
    )
    PLATFORM_MEDIATED = "platform_mediated", _("Disputes mediated on the court platform")
    PLATFORM_RESOLVED = "platform_resolved", _("Disputes resolved on the court platform")
    CITY_PRIOR_LITIGATION_RATE = (
        "city_prior_litigation_rate",
        _("City's litigation rate per 10,000 people, previous year"),
    )
    POLICE_DISPUTE_CALLS = "police_dispute_calls", _("Dispute-related police calls")  # 纠纷类报警
    PETITIONS = "petitions", _("Petitions")  # 信访总量
    CIVIL_FILINGS = "civil_filings", _("Civil cases filed")  # 民事诉讼立案
    CIVIL_TO_CRIMINAL_HOMICIDES = (
        "civil_to_criminal_homicides",
        _("Homicides arising from civil disputes"),
    )  # 民转刑命案
    MASS_INCIDENTS = "mass_incidents", _("Mass incidents")  # 群体性事件
    IRREGULAR_PETITIONS = "irregular_petitions", _("Petitions to Beijing / irregular petitions")
    SERIOUS_INTENTIONAL_CRIMES = (
        "serious_intentional_crimes",
        _("Intentional crimes sentenced to 3+ years"),
    )
    # 无讼村 criterion 4 (seeds/003): 无故意犯罪刑事案件, whatever the sentence
    INTENTIONAL_CRIMES = "intentional_crimes", _("Intentional criminal cases (any sentence)")
