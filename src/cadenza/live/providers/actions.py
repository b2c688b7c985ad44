"""Changing an organization's video settings (the organization admin's page)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cadenza.accounts.models import User
from cadenza.live.models import LiveVideoSettings, VideoProvider
from cadenza.orgs.models import Membership, Organization
from cadenza.orgs.policy import Permission, may


@transaction.atomic
def update_video_settings(
    *,
    org: Organization,
    default_provider: VideoProvider,
    jitsi_domain: str,
    jitsi_app_id: str,
    jitsi_app_secret: str | None,
    bbb_url: str,
    bbb_secret: str | None,
    stun_urls: str,
    turn_username: str,
    turn_credential: str | None,
    changed_by: User,
) -> LiveVideoSettings:
    """Save the organization's default provider and credentials.

    A secret given as None keeps the stored one (the page never shows secrets back, so a blank
    field means "unchanged"). Raises ``PermissionDenied`` unless ``changed_by`` may manage the
    organization, and ``ValidationError`` (nothing saved) for a value the model refuses.
    """
    role = Membership.objects.filter(org=org, user=changed_by).values_list("role", flat=True)
    if not may(role.first(), Permission.MANAGE_ORGANIZATION):
        raise PermissionDenied("Only the organization's admins may change its video settings.")
    settings, _ = LiveVideoSettings.objects.select_for_update().get_or_create(org=org)
    settings.default_provider = default_provider
    settings.jitsi_domain = jitsi_domain.strip().lower()
    settings.jitsi_app_id = jitsi_app_id.strip()
    if jitsi_app_secret is not None:
        settings.jitsi_app_secret = jitsi_app_secret
    settings.bbb_url = bbb_url.strip()
    if bbb_secret is not None:
        settings.bbb_secret = bbb_secret
    settings.stun_urls = "\n".join(line.strip() for line in stun_urls.splitlines() if line.strip())
    settings.turn_username = turn_username.strip()
    if turn_credential is not None:
        settings.turn_credential = turn_credential
    settings.full_clean()
    settings.save()
    return settings
