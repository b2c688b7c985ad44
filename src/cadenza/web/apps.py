"""The web app's configuration, and the one rule every form follows for text.

Every form refuses control characters in text (cadenza.lib.text): the product's forms, the
log-in and password forms and the Django admin's all build on Django's text fields, so the
validator goes on those fields' defaults rather than into each of the ~25 forms, where a new
form would forget it. Django itself refuses only NUL (ProhibitNullCharactersValidator); this
adds the rest of C0 but tab and line breaks, DEL and C1, with a message naming the character.

One-line inputs (every such field whose widget is not a ``Textarea``: names, titles, slugs,
addresses, a choice's text) also refuse line breaks (``refuse_line_breaks``), which a browser's
one-line input never sends: only a crafted request would put one into a title shown on one
line. That check needs the field's widget, which a validator is not given, and a form may
swap the widget after the field was made, so it runs in ``CharField.validate`` (the step
before the validators), on the widget the field has when the form is checked.

It is done when this module is imported, not in ``ready()``: a field copies its class's
defaults when it is created, and form classes (with their fields) are created as their modules
are imported, which for some happens before any ``ready()`` runs (the admin's autodiscovery in
its own ``ready()`` imports ``accounts.forms``). Django imports every app's ``apps`` module
first, before models and before any ``ready()``; tests/web/test_form_text.py checks that every
form class of the project and of Django's auth and admin ends up with the rule.
"""

from typing import Any

from django import forms
from django.apps import AppConfig

from cadenza.lib.text import refuse_control_characters, refuse_line_breaks

# Every form field a person types text into; the subclasses listed keep validators of their
# own (``default_validators`` of their own class), the others inherit CharField's.
_TEXT_FIELDS: tuple[type[forms.Field], ...] = (
    forms.CharField,
    forms.EmailField,
    forms.SlugField,
    forms.URLField,
)


def refuse_control_characters_in_every_form() -> None:
    """Add the rule to the text fields' defaults (once; it is idempotent)."""
    for field in _TEXT_FIELDS:
        if refuse_control_characters not in field.default_validators:
            field.default_validators = [*field.default_validators, refuse_control_characters]


def _validate_one_line(field: forms.Field, value: Any) -> None:
    forms.Field.validate(field, value)
    if not isinstance(field.widget, forms.Textarea):
        refuse_line_breaks(value)


def refuse_line_breaks_in_every_one_line_field() -> None:
    """Make ``CharField`` (and its subclasses that do not validate otherwise) refuse line
    breaks unless its widget is a ``Textarea``."""
    forms.CharField.validate = _validate_one_line  # type: ignore[method-assign,assignment]


refuse_control_characters_in_every_form()
refuse_line_breaks_in_every_one_line_field()


class WebConfig(AppConfig):
    name = "cadenza.web"
    label = "web"
