"""UI input of the knowledge base; services validate again and own every write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fengqiao.cases.models import DisputeCategory
from fengqiao.knowledge.choices import CitedIn, EntryKind, Visibility


def _categories() -> list[tuple[str, StrOrPromise]]:
    return [("", _("All categories"))] + [
        (c.code, c.name) for c in DisputeCategory.objects.filter(parent=None, is_active=True)
    ]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("All kinds")), *EntryKind.choices]
    )
    category = forms.ChoiceField(label=_("dispute category"), required=False, choices=())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].choices = _categories()  # type: ignore[attr-defined]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=EntryKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    law_name = forms.CharField(label=_("law or regulation"), max_length=100, required=False)
    article_no = forms.CharField(label=_("article"), max_length=30, required=False)
    category = forms.ChoiceField(label=_("dispute category"), required=False, choices=())
    visibility = forms.ChoiceField(label=_("visibility"), choices=Visibility.choices)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].choices = _categories()  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    visibility = forms.ChoiceField(label=_("visibility"), choices=Visibility.choices)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 14}))


class CiteForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    cited_in = forms.ChoiceField(label=_("cited in"), choices=CitedIn.choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
