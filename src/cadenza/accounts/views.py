"""Account pages: sign up and profile. Log in/out and password reset are Django's views,
configured in ``urls.py`` with our forms and templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadenza.accounts.actions import (
    create_access_token,
    revoke_access_token,
    sign_up,
    update_profile,
)
from cadenza.accounts.forms import AccessTokenForm, ProfileForm, SignupForm
from cadenza.accounts.models import PersonalAccessToken, TokenScope, User
from cadenza.accounts.selectors import access_tokens_of


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account; the answer is "check your e-mail" whether or not the address had
    one (see ``sign_up``), so the page cannot tell anyone who has an account."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sign_up(
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                time_zone=data["time_zone"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    """After a sign-up: the same page for every address."""
    return render(request, "accounts/signup_sent.html")


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


@login_required
@require_http_methods(["GET", "POST"])
def access_tokens(request: HttpRequest) -> HttpResponse:
    """A person's personal access tokens for the API: make one (its secret is shown on this
    answer only), see them, revoke them."""
    user = request.user
    assert isinstance(user, User)
    form = AccessTokenForm(request.POST or None)
    created: tuple[PersonalAccessToken, str] | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = create_access_token(
                    user=user,
                    name=form.cleaned_data["name"],
                    scope=TokenScope(form.cleaned_data["scope"]),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = AccessTokenForm()
        if form.errors:
            status = 400
    response = render(
        request,
        "accounts/access_tokens.html",
        {
            "form": form,
            "tokens": access_tokens_of(user),
            "created": created[0] if created else None,
            "secret": created[1] if created else "",
        },
        status=status,
    )
    # The secret must not be kept by a cache or shown again by the back button.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def access_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of my tokens at once (404 for anyone else's)."""
    user = request.user
    assert isinstance(user, User)
    token = revoke_access_token(user=user, token_id=token_id)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("access_tokens")
