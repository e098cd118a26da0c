"""The eligibility questions as a form (display and first validation; services parse again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fengqiao.legalaid.eligibility import Circumstance, ExemptGroup, Matter


class EligibilityForm(forms.Form):
    matter = forms.ChoiceField(
        label=_("What is the claim about? (法律援助法 art.31)"),
        choices=Matter.choices,
        widget=forms.RadioSelect,
    )
    circumstance = forms.ChoiceField(
        label=_("Does one of these apply? (art.32: no income condition)"),
        choices=Circumstance.choices,
        initial=Circumstance.NONE,
        widget=forms.RadioSelect,
    )
    exempt_group = forms.ChoiceField(
        label=_("Is the applicant one of these? (art.42: income not checked)"),
        choices=ExemptGroup.choices,
        initial=ExemptGroup.NONE,
        widget=forms.RadioSelect,
    )
    household_income = forms.DecimalField(
        label=_("Household income a month (yuan)"), required=False, min_value=0, decimal_places=2
    )
    household_size = forms.IntegerField(
        label=_("People in the household"), min_value=1, max_value=30, initial=1
    )
