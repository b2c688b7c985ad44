"""BigBlueButton: the meeting is created on the server when a host starts the session, hosts
join as moderators and learners as viewers (role-based join, BigBlueButton 2.4+), and the
server's recordings are fetched back for the replay.

The meeting ID is the session's server-made ``provider_room``; ``create`` is idempotent on the
BigBlueButton side, so ``start`` may run before every host join.
"""

from __future__ import annotations

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession, LiveVideoSettings, VideoProvider
from cadenza.live.providers.base import JoinDetails, ProviderError, ProviderNotConfigured, Recording
from cadenza.live.providers.bigbluebutton_api import (
    BigBlueButtonClient,
    ChecksumAlgorithm,
    Fetch,
    urllib_fetch,
)


class BigBlueButtonProvider:
    kind: str = VideoProvider.BIGBLUEBUTTON

    def __init__(
        self,
        settings: LiveVideoSettings,
        *,
        page_url: str = "",
        algorithm: ChecksumAlgorithm = "sha1",
        fetch: Fetch = urllib_fetch,
    ) -> None:
        if not (settings.bbb_url and settings.bbb_secret):
            raise ProviderNotConfigured(
                "BigBlueButton is not set up for this organization: an admin must enter its "
                "server URL and shared secret on the video settings page."
            )
        self.client = BigBlueButtonClient(
            server_url=settings.bbb_url,
            secret=settings.bbb_secret,
            algorithm=algorithm,
            fetch=fetch,
        )
        self.page_url = page_url

    def create_params(self, *, session: LiveSession) -> list[tuple[str, str]]:
        """The ``create`` parameters: recorded, recording started by a host (never
        automatically), back to the session page on leaving, tagged with its origin."""
        params = [
            ("name", session.title),
            ("meetingID", _meeting_id(session)),
            ("record", "true"),
            ("autoStartRecording", "false"),
            ("allowStartStopRecording", "true"),
        ]
        if session.capacity:
            params.append(("maxParticipants", str(session.capacity)))
        if self.page_url:
            params.append(("logoutURL", self.page_url))
        params += [
            ("meta_bbb-origin", "Cadenza"),
            ("meta_cadenza-org", str(session.org_id)),
            ("meta_cadenza-session", str(session.pk)),
        ]
        return params

    def join_url(
        self, *, session: LiveSession, user: User, is_host: bool, display_name: str
    ) -> str:
        return self.client.url(
            "join",
            [
                ("fullName", display_name),
                ("meetingID", _meeting_id(session)),
                ("role", "MODERATOR" if is_host else "VIEWER"),
                ("userID", str(user.pk)),
                ("redirect", "true"),
            ],
        )

    def join_details(
        self, *, session: LiveSession, user: User, is_host: bool, display_name: str
    ) -> JoinDetails:
        return JoinDetails(
            kind=self.kind,
            is_moderator=is_host,
            join_url=self.join_url(
                session=session, user=user, is_host=is_host, display_name=display_name
            ),
        )

    def start(self, *, session: LiveSession) -> None:
        self.client.create(self.create_params(session=session))

    def end(self, *, session: LiveSession) -> None:
        self.client.end(meeting_id=_meeting_id(session))

    def is_running(self, *, session: LiveSession) -> bool | None:
        return self.client.is_meeting_running(meeting_id=_meeting_id(session))

    def recordings(self, *, session: LiveSession) -> list[Recording]:
        return self.client.get_recordings(meeting_id=_meeting_id(session))


def _meeting_id(session: LiveSession) -> str:
    if not session.provider_room:
        raise ProviderError("This session has no video room yet.")
    return session.provider_room
