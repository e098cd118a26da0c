"""One mapping from a service's refusal to the form the user is looking at.

Services judge and raise; views show. Every HTML form view puts the error in the same place and
answers with the same status, so a refused 督办, a refused agreement and a refused patrol entry
read alike: field errors beside their fields (422), a blocked transition's reasons joined (409),
a refusal as the form's own error (403), anything else with its own status.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from fengqiao.core.exceptions import ApplicationError, InvalidInput, TransitionBlocked


def form_error_status(
    form: forms.Form, exc: ApplicationError, rename: Mapping[str, str] | None = None
) -> int:
    """Show ``exc`` on ``form`` and return the HTTP status to answer with.

    ``rename`` maps a service's field names to the form's where they differ; a field the form
    does not have becomes a non-field error, so no message is ever lost.
    """
    if isinstance(exc, InvalidInput) and exc.errors:
        show_field_errors(form, exc.errors, rename)
    elif isinstance(exc, TransitionBlocked) and exc.reasons:
        form.add_error(None, "；".join(str(reason) for reason in exc.reasons))
    else:
        form.add_error(None, exc.message)
    return exc.status_code


def show_field_errors(
    form: forms.Form, errors: Mapping[str, list[str]], rename: Mapping[str, str] | None = None
) -> None:
    """Each message beside its field (renamed by ``rename``), or as a non-field error when the
    form has no such field."""
    names = rename or {}
    for key, messages in errors.items():
        name = names.get(key, key)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
