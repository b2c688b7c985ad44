"""The organization's video settings form."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from cadenza.live.models import LiveVideoSettings, VideoProvider
from cadenza.live.providers.builtin import parse_ice_urls

_DOMAIN = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?$"
)
_KEEP = "Leave blank to keep the stored value."
MIN_JITSI_SECRET_BYTES = 32
MAX_ICE_URLS = 10


class VideoSettingsForm(forms.Form):
    """Default provider, Jitsi and BigBlueButton credentials, STUN/TURN servers.

    Secrets are never rendered back: a blank secret field keeps the stored secret
    (``cleaned_data`` holds None for it).
    """

    default_provider = forms.ChoiceField(
        label="Default video for new sessions", choices=VideoProvider.choices
    )
    jitsi_domain = forms.CharField(
        label="Jitsi domain",
        required=False,
        max_length=200,
        help_text="The Jitsi Meet server's host name, e.g. meet.example.org (no https://).",
    )
    jitsi_app_id = forms.CharField(label="Jitsi app ID", required=False, max_length=200)
    jitsi_app_secret = forms.CharField(
        label="Jitsi app secret",
        required=False,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    bbb_url = forms.URLField(
        label="BigBlueButton server URL",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="As bbb-conf --secret prints it, e.g. https://bbb.example.org/bigbluebutton/",
    )
    bbb_secret = forms.CharField(
        label="BigBlueButton shared secret",
        required=False,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    stun_urls = forms.CharField(
        label="STUN and TURN servers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=(
            "For the built-in video, one per line, e.g. stun:stun.example.org:3478 or "
            "turn:turn.example.org:3478?transport=udp. Leave empty for people on one network."
        ),
    )
    turn_username = forms.CharField(label="TURN username", required=False, max_length=200)
    turn_credential = forms.CharField(
        label="TURN credential",
        required=False,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, stored: LiveVideoSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored = stored
        for name in ("jitsi_app_secret", "bbb_secret", "turn_credential"):
            if getattr(stored, name):
                self.fields[name].help_text = f"A value is stored. {_KEEP}"

    @classmethod
    def initial_for(cls, stored: LiveVideoSettings) -> dict[str, str]:
        return {
            "default_provider": stored.default_provider,
            "jitsi_domain": stored.jitsi_domain,
            "jitsi_app_id": stored.jitsi_app_id,
            "bbb_url": stored.bbb_url,
            "stun_urls": stored.stun_urls,
            "turn_username": stored.turn_username,
        }

    def clean_jitsi_domain(self) -> str:
        domain = str(self.cleaned_data["jitsi_domain"]).strip().lower()
        if domain and not _DOMAIN.match(domain):
            raise forms.ValidationError(
                "Enter the server's host name only, like meet.example.org (no https:// or path)."
            )
        return domain

    def clean_bbb_url(self) -> str:
        url = str(self.cleaned_data["bbb_url"]).strip()
        if url and not url.startswith("https://"):
            raise forms.ValidationError("Use an https:// address: the secret travels with it.")
        if "?" in url or "#" in url:
            raise forms.ValidationError("Enter the server's address without ? or #.")
        return url

    def clean_stun_urls(self) -> str:
        urls = parse_ice_urls(str(self.cleaned_data["stun_urls"]))
        if urls.invalid:
            listed = ", ".join(f"“{line}”" for line in urls.invalid)
            raise forms.ValidationError(
                f"These are not STUN or TURN URLs: {listed}. Use stun:host[:port] or "
                "turn:host[:port][?transport=udp|tcp] (turns: and stuns: for TLS)."
            )
        if len(urls.stun) + len(urls.turn) > MAX_ICE_URLS:
            raise forms.ValidationError(f"List at most {MAX_ICE_URLS} STUN and TURN servers.")
        return "\n".join(urls.stun + urls.turn)

    def clean_jitsi_app_secret(self) -> str:
        secret = str(self.cleaned_data["jitsi_app_secret"] or "")
        if secret and len(secret.encode("utf-8")) < MIN_JITSI_SECRET_BYTES:
            raise forms.ValidationError(
                f"Use a secret of at least {MIN_JITSI_SECRET_BYTES} characters (HS256 needs "
                "one as long as its hash, RFC 7518), and set the same app_secret on Jitsi."
            )
        return secret

    def _secret(self, name: str) -> str | None:
        value = str(self.cleaned_data.get(name) or "")
        return value or None

    def _has(self, secret_name: str) -> bool:
        """Whether a secret is given now or already stored."""
        return bool(self.cleaned_data.get(secret_name) or getattr(self.stored, secret_name))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("jitsi_app_secret", "bbb_secret", "turn_credential"):
            data[name] = self._secret(name)
        if self.errors:
            return data
        default = data["default_provider"]
        jitsi = (data["jitsi_domain"], data["jitsi_app_id"], self._has("jitsi_app_secret"))
        bbb = (data["bbb_url"], self._has("bbb_secret"))
        turn = parse_ice_urls(data["stun_urls"]).turn
        turn_ready = bool(data["turn_username"]) and self._has("turn_credential")
        if any(jitsi[:2]) and not all(jitsi):
            self.add_error(None, "For Jitsi, enter the domain, the app ID and the app secret.")
        if data["bbb_url"] and not all(bbb):
            self.add_error("bbb_secret", "Enter the BigBlueButton shared secret.")
        if turn and not turn_ready:
            self.add_error("turn_username", "TURN servers need a username and a credential.")
        if default == VideoProvider.JITSI and not all(jitsi):
            self.add_error("default_provider", "Set up Jitsi below before making it the default.")
        if default == VideoProvider.BIGBLUEBUTTON and not all(bbb):
            self.add_error(
                "default_provider", "Set up BigBlueButton below before making it the default."
            )
        return data
