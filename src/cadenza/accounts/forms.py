"""Forms of the account pages: sign up, log in by e-mail, profile, password reset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader

from cadenza.accounts.actions import normalise_email
from cadenza.accounts.login_throttle import is_locked_out, lockout_error
from cadenza.accounts.models import TokenScope, User
from cadenza.accounts.outgoing_email import queue_email
from cadenza.accounts.time_zones import is_time_zone, time_zone_choices
from cadenza.lib.site_address import site_url


class EmailAuthenticationForm(AuthenticationForm):
    """Log in by e-mail; the address is compared the way it was stored (trimmed, lower-case).

    A log-in refused by the throttle says so (not "wrong password"): ``login_throttle``.
    """

    def get_invalid_login_error(self) -> ValidationError:
        if is_locked_out(self.request):
            return lockout_error()
        return super().get_invalid_login_error()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget.attrs.update({"type": "email", "autocomplete": "email"})

    def clean_username(self) -> str:
        return normalise_email(str(self.cleaned_data.get("username") or ""))


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's log-in form, saying so when the throttle refuses a log-in."""

    def get_invalid_login_error(self) -> ValidationError:
        if is_locked_out(self.request):
            return lockout_error()
        return super().get_invalid_login_error()


class SignupForm(forms.Form):
    """A new account. The time zone defaults to the one the browser reports (filled into
    ``detected_time_zone`` by script) when it is a real zone, else UTC."""

    email = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    display_name = forms.CharField(
        label="Your name",
        max_length=150,
        required=False,
        help_text="Shown to others in your organizations.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Times are shown to you in this zone. Left empty, we use your device's zone.",
    )
    detected_time_zone = forms.CharField(required=False, widget=forms.HiddenInput)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)
        time_zone.choices = [("", "Use my device's time zone"), *time_zone_choices()]

    def clean_email(self) -> str:
        """Normalised only: whether the address has an account is never said here (the
        ``sign_up`` action e-mails the owner instead)."""
        return normalise_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("time_zone"):
            detected = str(cleaned.get("detected_time_zone") or "")
            cleaned["time_zone"] = detected if is_time_zone(detected) else "UTC"
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            candidate = User(
                email=cleaned.get("email") or "",
                username=cleaned.get("email") or "",
                display_name=cleaned.get("display_name") or "",
            )
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.Form):
    """What a person may change about themselves."""

    display_name = forms.CharField(label="Your name", max_length=150, required=False)
    time_zone = forms.ChoiceField(label="Time zone")
    locale = forms.ChoiceField(label="Language")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        time_zone = self.fields["time_zone"]
        locale = self.fields["locale"]
        assert isinstance(time_zone, forms.ChoiceField)
        assert isinstance(locale, forms.ChoiceField)
        time_zone.choices = time_zone_choices()
        locale.choices = list(settings.LANGUAGES)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes through the transactional outbox.

    Accounts without a usable password are included: people added by an administrator or
    instructor have none until they set one, and must be able to ask for a new link.
    """

    def get_users(self, email: str) -> Iterator[User]:
        yield from User.objects.filter(email=normalise_email(email), is_active=True)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Links on the site's configured address, like every e-mail's (not the request's host).
        site = urlsplit(site_url())
        context = {**context, "protocol": site.scheme, "domain": site.netloc}
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else ""
        )
        queue_email(
            to=to_email,
            subject=subject,
            body=body,
            html_body=html_body,
            dedupe_key=f"password-reset:{context['uid']}:{context['token']}",
        )


class AccessTokenForm(forms.Form):
    """A new personal access token: a name to tell it apart, and what it may do."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, e.g. “grades export script”.",
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )
