"""The video provider interface: what a participant's page needs to join, start/end, recordings.

A session's ``provider`` picks one implementation (built-in peer-to-peer WebRTC, Jitsi Meet,
BigBlueButton, or no video); ``provider_for`` in ``registry`` builds it with the organization's
``LiveVideoSettings``. Pages and actions talk to the ``Provider`` protocol only, so the room
page renders ``JoinDetails.as_json()`` and never branches on server credentials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from cadenza.accounts.models import User
from cadenza.lib.json_value import JsonValue
from cadenza.live.models import BreakoutRoom, LiveSession, VideoProvider


class ProviderError(Exception):
    """A provider could not do what was asked; ``detail`` is safe to show to a host."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ProviderNotConfigured(ProviderError):
    """The organization chose a provider but its settings lack what it needs."""


class ProviderUnavailable(ProviderError):
    """The provider's server did not answer (network error, timeout, unreadable reply)."""


@dataclass(frozen=True, slots=True)
class IceServer:
    """One entry of ``RTCConfiguration.iceServers``: STUN URLs alone, TURN URLs with their
    username and credential."""

    urls: tuple[str, ...]
    username: str = ""
    credential: str = ""

    def as_json(self) -> dict[str, JsonValue]:
        entry: dict[str, JsonValue] = {"urls": list(self.urls)}
        if self.username:
            entry["username"] = self.username
        if self.credential:
            entry["credential"] = self.credential
        return entry


@dataclass(frozen=True, slots=True)
class MediaPolicy:
    """What the built-in video lets this participant send.

    ``publish_video``/``publish_audio``: whether this person may send at all (in a webinar only
    the stage, i.e. the hosts, does). ``video_participant_limit``: with more people than this in
    the room, everyone falls back to audio only (peer-to-peer meshes do not scale past it).
    ``modes`` lists the modes the person may pick for a weak connection ("video", "audio" =
    audio only, "none" = no media; chat, Q&A and polls keep working).
    """

    publish_video: bool
    publish_audio: bool
    video_participant_limit: int
    stage_only: bool
    modes: tuple[str, ...]

    def mode_for(self, *, participants: int) -> str:
        """The best mode this person may use with ``participants`` people in the room."""
        if self.publish_video and participants <= self.video_participant_limit:
            return "video"
        if self.publish_audio:
            return "audio"
        return "none"

    def as_json(self) -> dict[str, JsonValue]:
        return {
            "publish_video": self.publish_video,
            "publish_audio": self.publish_audio,
            "video_participant_limit": self.video_participant_limit,
            "stage_only": self.stage_only,
            "modes": list(self.modes),
        }


@dataclass(frozen=True, slots=True)
class JoinDetails:
    """Everything one participant's page needs to join the session's video.

    ``kind`` is the provider (a ``VideoProvider`` value); the other fields are filled per kind:
    - "builtin": ``ice_servers``, ``media``, ``signalling_types`` (the room-socket messages);
    - "jitsi": ``script_url`` (the server's external_api.js), ``domain``, ``embed`` (the
      options object for ``new JitsiMeetExternalAPI(domain, embed)``, ``jwt`` included) and
      ``token`` (the same JWT);
    - "bigbluebutton": ``join_url`` (open it in a new tab or navigate to it);
    - "none": nothing (chat, Q&A and polls only).
    ``is_moderator`` tells the page whether to show host controls for the video.
    ``breakout_id`` is set on the details of a breakout room's own video (``None``: the main
    room's), so the page can tell which room a fetched answer is for.
    """

    kind: str
    is_moderator: bool
    ice_servers: tuple[IceServer, ...] = ()
    media: MediaPolicy | None = None
    signalling_types: tuple[str, ...] = ()
    script_url: str = ""
    domain: str = ""
    embed: dict[str, JsonValue] = field(default_factory=dict)
    token: str = ""
    join_url: str = ""
    breakout_id: int | None = None

    def as_json(self) -> dict[str, JsonValue]:
        """The page's view of these details (for ``json_script``): only the fields of ``kind``."""
        data: dict[str, JsonValue] = {"kind": self.kind, "is_moderator": self.is_moderator}
        if self.kind == VideoProvider.BUILTIN:
            data["ice_servers"] = [server.as_json() for server in self.ice_servers]
            data["media"] = self.media.as_json() if self.media is not None else None
            data["signalling_types"] = list(self.signalling_types)
        elif self.kind == VideoProvider.JITSI:
            data["script_url"] = self.script_url
            data["domain"] = self.domain
            data["embed"] = self.embed
        elif self.kind == VideoProvider.BIGBLUEBUTTON:
            data["join_url"] = self.join_url
        if self.breakout_id is not None:
            data["breakout_id"] = self.breakout_id
        return data


@dataclass(frozen=True, slots=True)
class Recording:
    """A recording the provider kept; ``duration_seconds``/``started_at`` when it says them."""

    title: str
    url: str
    duration_seconds: float | None
    started_at: datetime | None
    provider_id: str = ""


def breakout_room_name(*, session: LiveSession, breakout: BreakoutRoom) -> str:
    """The video room (Jitsi room, BigBlueButton meeting ID) of one breakout room.

    It is the name the server made when the breakout room was made (``start_breakouts``): the
    session's own room name, "-breakout-" and a random part. So it is scoped to the session,
    unique, and not guessable from the session's name and the breakout's id. A name that does
    not belong to ``session`` (never made by the server for it) is refused rather than used.
    """
    name = breakout.provider_room
    if (
        breakout.session_id != session.pk
        or not session.provider_room
        or not name.startswith(f"{session.provider_room}-breakout-")
    ):
        raise ProviderError("This breakout room has no video room.")
    return name


class Provider(Protocol):
    """One video provider bound to an organization's settings.

    ``start`` and ``end`` may call the provider's server and raise ``ProviderError``
    (``ProviderUnavailable`` when it does not answer); ``start`` is idempotent and safe to call
    before every host join. ``join_details`` never calls out. ``is_running`` answers None when
    the provider cannot tell.

    Breakout rooms: ``breakout_join_details`` are the details of one breakout room's own video
    (for providers whose video lives outside the room socket, a separate Jitsi room or
    BigBlueButton meeting; the built-in video keeps its own details, its signalling already
    stays inside a breakout room). ``start_breakout``/``end_breakout`` make and end that
    meeting where the provider has one to make (BigBlueButton), like ``start``/``end``.
    """

    kind: str

    def join_details(
        self, *, session: LiveSession, user: User, is_host: bool, display_name: str
    ) -> JoinDetails: ...

    def start(self, *, session: LiveSession) -> None: ...

    def end(self, *, session: LiveSession) -> None: ...

    def is_running(self, *, session: LiveSession) -> bool | None: ...

    def recordings(self, *, session: LiveSession) -> list[Recording]: ...

    def breakout_join_details(
        self,
        *,
        session: LiveSession,
        breakout: BreakoutRoom,
        user: User,
        is_host: bool,
        display_name: str,
    ) -> JoinDetails: ...

    def start_breakout(self, *, session: LiveSession, breakout: BreakoutRoom) -> None: ...

    def end_breakout(self, *, session: LiveSession, breakout: BreakoutRoom) -> None: ...
