"""The question form: one form whose fields follow the question's kind.

It only parses; the rules of each kind (one correct choice, an accepted answer ...) are the
action's (``InvalidQuestion``), shown as a form error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from cadenza.learning.actions.knowledge_check_questions import MAX_CHOICES
from cadenza.learning.models import Question, QuestionKind
from cadenza.learning.selectors.knowledge_checks import format_number

_CHOICE_FORM_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


class QuestionForm(forms.Form):
    """Prompt and explanation, then the kind's answer fields (choice rows, number, texts)."""

    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="Markdown.")
    explanation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Markdown, shown to the learner after they submit.",
    )

    def __init__(self, *args: Any, kind: QuestionKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind in _CHOICE_FORM_KINDS:
            for n in range(1, MAX_CHOICES + 1):
                self.fields[f"choice_{n}"] = forms.CharField(
                    label=f"Choice {n}", required=False, max_length=500
                )
                self.fields[f"correct_{n}"] = forms.BooleanField(
                    label=f"Choice {n} is correct", required=False
                )
        elif kind == QuestionKind.TRUE_FALSE:
            self.fields["correct_answer"] = forms.ChoiceField(
                label="The correct answer",
                choices=[("true", "True"), ("false", "False")],
                widget=forms.RadioSelect,
            )
        elif kind == QuestionKind.NUMERIC:
            self.fields["numeric_answer"] = forms.DecimalField(
                label="The correct number", max_digits=20, decimal_places=6
            )
            self.fields["numeric_tolerance"] = forms.DecimalField(
                label="Accepted difference (\u00b1)",
                max_digits=20,
                decimal_places=6,
                min_value=Decimal(0),
                required=False,
                initial=Decimal(0),
                help_text="Answers within this distance of the number count as correct.",
            )
        else:
            self.fields["accepted_answers"] = forms.CharField(
                label="Accepted answers",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="One per line. Case and surrounding spaces are ignored.",
            )

    @property
    def kind_label(self) -> str:
        return QuestionKind(self.kind).label

    def choice_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(text, correct) bound fields per choice row, for the template."""
        if self.kind not in _CHOICE_FORM_KINDS:
            return []
        return [(self[f"choice_{n}"], self[f"correct_{n}"]) for n in range(1, MAX_CHOICES + 1)]

    def answer_fields(self) -> list[forms.BoundField]:
        """The kind's fields other than choice rows."""
        names = ("correct_answer", "numeric_answer", "numeric_tolerance", "accepted_answers")
        return [self[name] for name in names if name in self.fields]

    def question_fields(self) -> dict[str, Any]:
        """Keyword arguments for ``add_question`` / ``edit_question``; blank rows are ignored."""
        data = self.cleaned_data
        fields: dict[str, Any] = {"prompt": data["prompt"], "explanation": data["explanation"]}
        if self.kind in _CHOICE_FORM_KINDS:
            fields["choices"] = [
                (data[f"choice_{n}"].strip(), bool(data[f"correct_{n}"]))
                for n in range(1, MAX_CHOICES + 1)
                if data[f"choice_{n}"].strip()
            ]
        elif self.kind == QuestionKind.TRUE_FALSE:
            fields["choices"] = [("True" if data["correct_answer"] == "true" else "False", True)]
        elif self.kind == QuestionKind.NUMERIC:
            fields["numeric_answer"] = data["numeric_answer"]
            fields["numeric_tolerance"] = data["numeric_tolerance"] or Decimal(0)
        else:
            fields["accepted_answers"] = data["accepted_answers"].splitlines()
        return fields

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        """The form's initial values for editing ``question`` (choices prefetched)."""
        initial: dict[str, Any] = {"prompt": question.prompt, "explanation": question.explanation}
        choices = list(question.choices.all())
        if question.kind == QuestionKind.TRUE_FALSE:
            correct = next((c.text for c in choices if c.is_correct), "True")
            initial["correct_answer"] = correct.casefold()
        for n, choice in enumerate(choices[:MAX_CHOICES], start=1):
            initial[f"choice_{n}"] = choice.text
            initial[f"correct_{n}"] = choice.is_correct
        if question.kind == QuestionKind.NUMERIC:
            initial["numeric_answer"] = format_number(question.numeric_answer)
            initial["numeric_tolerance"] = format_number(question.numeric_tolerance)
        initial["accepted_answers"] = "\n".join(question.accepted_answers)
        return initial
