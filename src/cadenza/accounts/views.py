"""Account pages: sign up and profile. Log in/out and password reset are Django's views,
configured in ``urls.py`` with our forms and templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cadenza.accounts.actions import create_user, update_profile
from cadenza.accounts.forms import ProfileForm, SignupForm
from cadenza.accounts.models import User


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account and sign the new person in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = create_user(
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                time_zone=data["time_zone"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Cadenza. Your account is ready.")
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """A person's own name, time zone and language."""
    user = request.user
    assert isinstance(user, User)
    initial = {
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "locale": user.locale,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(user=user, **form.cleaned_data)
        except ValidationError as error:
            user.refresh_from_db()
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
