"""The Python <select> gives exactly the markup of Django's own templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from fengqiao.core.form_renderer import FastSelectRenderer

CHOICES = [
    ("", "—"),
    ("a", "甲 & <乙>"),
    ('q"uote', "引号"),
    ("组", [("g1", "第一"), ("g2", "第二")]),
    (3, "三"),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    typed = forms.TypedChoiceField(choices=[(1, "一"), (2, "二")], coerce=int, disabled=True)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"one": "a", "many": ["g2", "3"], "typed": "2"},
        {"one": 'q"uote', "many": ["a"]},
        {"one": "not a choice"},
    ],
)
@pytest.mark.parametrize("field", ["one", "many", "typed"])
def test_the_same_markup_as_django(data, field):
    ours = Sample(data, renderer=FastSelectRenderer())[field]
    theirs = Sample(data, renderer=DjangoTemplates())[field]
    extra = {"class": "x", "data-note": '<"&>'}
    assert ours.as_widget(attrs=extra) == theirs.as_widget(attrs=extra)
    assert "<option" in str(ours)


def test_it_is_the_project_renderer(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    assert isinstance(get_default_renderer(), FastSelectRenderer)
