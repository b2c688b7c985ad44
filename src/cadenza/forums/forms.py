"""The forums' forms: they parse and check input; the actions decide and write."""

from __future__ import annotations

from django import forms

from cadenza.forums.models import ThreadKind

MAX_BODY = 20_000


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ThreadKind.choices,
        initial=ThreadKind.QUESTION,
        widget=forms.RadioSelect,
        label="This is a",
    )
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Text",
        help_text="Markdown: **bold**, `code`, ```code blocks```, [links](https://…), "
        "![images](https://…). Name a course member with @ and their e-mail address.",
    )
    anonymous = forms.BooleanField(
        required=False, label="Anonymous to other learners (staff still see your name)"
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 4}), label="Your reply"
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    anonymous = forms.BooleanField(
        required=False, label="Anonymous to other learners (staff still see your name)"
    )


class PostEditForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    body = forms.CharField(
        max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 8}), label="Text"
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What is wrong with this post?",
    )


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, label="Search the forum")
