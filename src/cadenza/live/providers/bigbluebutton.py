"""BigBlueButton: the meeting is created on the server when a host starts the session, hosts
join as moderators and learners as viewers (role-based join, BigBlueButton 2.4+), and the
server's recordings are fetched back for the replay.

The meeting ID is the session's server-made ``provider_room``; ``create`` is idempotent on the
BigBlueButton side, so ``start`` may run before every host join.

A breakout room is a meeting of its own (not BigBlueButton's built-in breakouts, which only a
moderator inside the main meeting can open): meeting ID ``breakout_room_name``, name
"<session> - <breakout room>", the same role-based join (hosts moderators, learners viewers),
not recorded (the replay shows the main meeting's recordings). ``start_breakout`` creates it,
idempotently, before anyone is sent to it; ``end_breakout`` ends it when the rooms close.
"""

from __future__ import annotations

from cadenza.accounts.models import User
from cadenza.live.models import BreakoutRoom, LiveSession, LiveVideoSettings, VideoProvider
from cadenza.live.providers.base import (
    JoinDetails,
    ProviderError,
    ProviderNotConfigured,
    Recording,
    breakout_room_name,
)
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

    def create_params(
        self, *, session: LiveSession, breakout: BreakoutRoom | None = None
    ) -> list[tuple[str, str]]:
        """The ``create`` parameters: recorded, recording started by a host (never
        automatically), back to the session page on leaving, tagged with its origin. A
        breakout room's meeting is named after the session and the room and not recorded."""
        if breakout is None:
            params = [
                ("name", session.title),
                ("meetingID", _meeting_id(session)),
                ("record", "true"),
                ("autoStartRecording", "false"),
                ("allowStartStopRecording", "true"),
            ]
        else:
            params = [
                ("name", f"{session.title} - {breakout.name}"),
                ("meetingID", breakout_room_name(session=session, breakout=breakout)),
                ("record", "false"),
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
        if breakout is not None:
            params.append(("meta_cadenza-breakout", str(breakout.pk)))
        return params

    def join_url(
        self,
        *,
        session: LiveSession,
        user: User,
        is_host: bool,
        display_name: str,
        meeting_id: str | None = None,
    ) -> str:
        """The signed join link into the session's meeting (or ``meeting_id``, one of its
        breakout rooms' meetings): hosts as moderators, everyone else as viewers."""
        return self.client.url(
            "join",
            [
                ("fullName", display_name),
                ("meetingID", meeting_id or _meeting_id(session)),
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

    def breakout_join_details(
        self,
        *,
        session: LiveSession,
        breakout: BreakoutRoom,
        user: User,
        is_host: bool,
        display_name: str,
    ) -> JoinDetails:
        meeting_id = breakout_room_name(session=session, breakout=breakout)
        return JoinDetails(
            kind=self.kind,
            is_moderator=is_host,
            join_url=self.join_url(
                session=session,
                user=user,
                is_host=is_host,
                display_name=display_name,
                meeting_id=meeting_id,
            ),
            breakout_id=breakout.pk,
        )

    def start(self, *, session: LiveSession) -> None:
        self.client.create(self.create_params(session=session))

    def end(self, *, session: LiveSession) -> None:
        self.client.end(meeting_id=_meeting_id(session))

    def is_running(self, *, session: LiveSession) -> bool | None:
        return self.client.is_meeting_running(meeting_id=_meeting_id(session))

    def recordings(self, *, session: LiveSession) -> list[Recording]:
        return self.client.get_recordings(meeting_id=_meeting_id(session))

    def start_breakout(self, *, session: LiveSession, breakout: BreakoutRoom) -> None:
        self.client.create(self.create_params(session=session, breakout=breakout))

    def end_breakout(self, *, session: LiveSession, breakout: BreakoutRoom) -> None:
        self.client.end(meeting_id=breakout_room_name(session=session, breakout=breakout))


def _meeting_id(session: LiveSession) -> str:
    if not session.provider_room:
        raise ProviderError("This session has no video room yet.")
    return session.provider_room
