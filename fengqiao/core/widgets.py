"""Browser-native date inputs. ``<input type="date">`` accepts only ISO ``YYYY-MM-DD``; the
localised format (zh-hans ``2026/12/15``) makes browsers show the field empty, so a date already
given was lost on every form that showed it again (issue #21)."""

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """A date picker whose value is always ISO, whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """A date-and-time picker whose value is always ISO (minutes)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATETIME)
