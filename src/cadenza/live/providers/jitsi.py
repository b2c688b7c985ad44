"""Jitsi Meet, embedded with its IFrame API, rooms protected by token authentication.

The token follows Jitsi's token authentication (Prosody ``mod_auth_token``, documented in
lib-jitsi-meet ``doc/tokens.md``): HS256 with the organization's app secret; ``iss`` the app
id, ``aud`` the app id (what ``asap_accepted_audiences`` must accept), ``sub`` the Jitsi
domain, ``room`` the server-made room name (never "*", so a token opens one room only),
``nbf`` shortly before the lobby opens and ``exp`` shortly after the session ends (never days).
``context.user.moderator`` is the string "true" for hosts and "false" for everyone else, the
form Jitsi's JWT documentation gives ("missing or false: no moderator permissions") and the one
``mod_token_affiliation`` reads. The Jitsi server must run with Jicofo's auto-owner off and
``token_affiliation`` on, so moderator rights come only from the token: a learner who joins
first never becomes moderator.

A breakout room has its own Jitsi room (``breakout_room_name``: the session's room name plus a
server-made random part) and its own token whose ``room`` is that name, so a learner's token
opens their breakout room only; hosts get a moderator token for any breakout room.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import jwt

from cadenza.accounts.models import User
from cadenza.lib.json_value import JsonValue
from cadenza.live.models import (
    BreakoutRoom,
    LiveSession,
    LiveVideoSettings,
    SessionFormat,
    VideoProvider,
)
from cadenza.live.providers.base import (
    JoinDetails,
    ProviderError,
    ProviderNotConfigured,
    Recording,
    breakout_room_name,
)

TOKEN_GRACE = timedelta(minutes=30)
CLOCK_SKEW = timedelta(minutes=1)
ALGORITHM = "HS256"


class JitsiProvider:
    """Jitsi needs no meeting created or ended through an API: the room exists while people
    are in it, and only token holders get in. Recordings (Jibri) stay with the Jitsi
    deployment, so none are listed here."""

    kind: str = VideoProvider.JITSI

    def __init__(self, settings: LiveVideoSettings, *, audience: str = "") -> None:
        if not (settings.jitsi_domain and settings.jitsi_app_id and settings.jitsi_app_secret):
            raise ProviderNotConfigured(
                "Jitsi is not set up for this organization: an admin must enter its domain, "
                "app ID and app secret on the video settings page."
            )
        self.domain = settings.jitsi_domain.strip().lower()
        self.app_id = settings.jitsi_app_id
        self.secret = settings.jitsi_app_secret
        self.audience = audience or settings.jitsi_app_id

    def token(
        self,
        *,
        session: LiveSession,
        user: User,
        is_host: bool,
        display_name: str,
        room: str | None = None,
    ) -> str:
        """The JWT that lets ``user`` into this session's room only (or into ``room``, one of
        its breakout rooms), during the session's hours only."""
        room = session.provider_room if room is None else room
        if not room or room == "*":
            raise ProviderError("This session has no video room yet.")
        opens = session.starts_at - timedelta(minutes=session.lobby_minutes) - CLOCK_SKEW
        payload: dict[str, JsonValue] = {
            "aud": self.audience,
            "iss": self.app_id,
            "sub": self.domain,
            "room": room,
            "nbf": int(opens.timestamp()),
            "exp": int((session.ends_at + TOKEN_GRACE).timestamp()),
            "context": {
                "user": {
                    "id": str(user.pk),
                    "name": display_name,
                    "email": user.email,
                    "moderator": "true" if is_host else "false",
                }
            },
        }
        return jwt.encode(payload, self.secret, algorithm=ALGORITHM, headers={"typ": "JWT"})

    def script_url(self) -> str:
        return f"https://{self.domain}/external_api.js"

    def join_details(
        self, *, session: LiveSession, user: User, is_host: bool, display_name: str
    ) -> JoinDetails:
        return self._details(
            session=session,
            room=session.provider_room,
            subject=session.title,
            user=user,
            is_host=is_host,
            display_name=display_name,
        )

    def breakout_join_details(
        self,
        *,
        session: LiveSession,
        breakout: BreakoutRoom,
        user: User,
        is_host: bool,
        display_name: str,
    ) -> JoinDetails:
        """The breakout room's own Jitsi room, with a token for that room only."""
        details = self._details(
            session=session,
            room=breakout_room_name(session=session, breakout=breakout),
            subject=f"{session.title} - {breakout.name}",
            user=user,
            is_host=is_host,
            display_name=display_name,
        )
        return replace(details, breakout_id=breakout.pk)

    def _details(
        self,
        *,
        session: LiveSession,
        room: str,
        subject: str,
        user: User,
        is_host: bool,
        display_name: str,
    ) -> JoinDetails:
        token = self.token(
            session=session, user=user, is_host=is_host, display_name=display_name, room=room
        )
        audience_only = session.format == SessionFormat.WEBINAR and not is_host
        embed: dict[str, JsonValue] = {
            "roomName": room,
            "jwt": token,
            "userInfo": {"displayName": display_name, "email": user.email},
            "configOverwrite": {
                "prejoinPageEnabled": True,
                "prejoinConfig": {"enabled": True},
                "startWithAudioMuted": audience_only,
                "startWithVideoMuted": audience_only,
                "subject": subject,
            },
        }
        return JoinDetails(
            kind=self.kind,
            is_moderator=is_host,
            script_url=self.script_url(),
            domain=self.domain,
            embed=embed,
            token=token,
        )

    def start(self, *, session: LiveSession) -> None:
        return None

    def end(self, *, session: LiveSession) -> None:
        return None

    def is_running(self, *, session: LiveSession) -> bool | None:
        return None

    def recordings(self, *, session: LiveSession) -> list[Recording]:
        return []

    def start_breakout(self, *, session: LiveSession, breakout: BreakoutRoom) -> None:
        return None

    def end_breakout(self, *, session: LiveSession, breakout: BreakoutRoom) -> None:
        return None
