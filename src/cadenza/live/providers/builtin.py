"""Built-in video: peer-to-peer WebRTC for small rooms, with no outside server.

Each participant connects directly to each other one (a mesh), so video is kept to classes of
at most ``VIDEO_PARTICIPANT_LIMIT`` people; with more, everyone falls back to audio. In a
webinar only the stage (the hosts) sends audio and video; the audience watches. Signalling
travels over the room socket (``builtin_signalling``). ICE servers come from the
organization's settings; with none, host candidates alone connect people on one network
(a LAN, or localhost in tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cadenza.accounts.models import User
from cadenza.live.models import (
    BreakoutRoom,
    LiveSession,
    LiveVideoSettings,
    SessionFormat,
    VideoProvider,
)
from cadenza.live.providers.base import IceServer, JoinDetails, MediaPolicy, Recording
from cadenza.live.sessions.video_signalling import SIGNAL_TYPES

VIDEO_PARTICIPANT_LIMIT = 6
MODES: tuple[str, ...] = ("video", "audio", "none")
MAX_ICE_URL_CHARS = 300

_ICE_URL = re.compile(
    r"^(?P<scheme>stuns?|turns?):(?P<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?"
    r"(?:\?transport=(?:udp|tcp))?$"
)


@dataclass(frozen=True, slots=True)
class IceUrls:
    """The lines of the STUN/TURN setting, sorted into usable and refused ones."""

    stun: tuple[str, ...]
    turn: tuple[str, ...]
    invalid: tuple[str, ...]


def parse_ice_urls(text: str) -> IceUrls:
    """Read one STUN/TURN URL per line (RFC 7064/7065: ``stun:host[:port]``,
    ``turn:host[:port][?transport=udp|tcp]``, ``stuns:``/``turns:``); blank lines are skipped."""
    stun: list[str] = []
    turn: list[str] = []
    invalid: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _ICE_URL.match(line) if len(line) <= MAX_ICE_URL_CHARS else None
        if match is None:
            invalid.append(line)
        elif match["scheme"].startswith("stun"):
            if "?" in line:
                invalid.append(line)
            else:
                stun.append(line)
        else:
            turn.append(line)
    return IceUrls(stun=tuple(stun), turn=tuple(turn), invalid=tuple(invalid))


def ice_servers(settings: LiveVideoSettings) -> tuple[IceServer, ...]:
    """The ``iceServers`` of the organization: STUN URLs in one entry, TURN URLs in another
    with the TURN username and credential. Empty by default (host candidates only)."""
    urls = parse_ice_urls(settings.stun_urls)
    servers: list[IceServer] = []
    if urls.stun:
        servers.append(IceServer(urls=urls.stun))
    if urls.turn:
        servers.append(
            IceServer(
                urls=urls.turn,
                username=settings.turn_username,
                credential=settings.turn_credential,
            )
        )
    return tuple(servers)


def media_policy(*, session: LiveSession, is_host: bool) -> MediaPolicy:
    """What this participant may send: everyone in a class, only the stage in a webinar."""
    webinar = session.format == SessionFormat.WEBINAR
    on_stage = is_host or not webinar
    return MediaPolicy(
        publish_video=on_stage,
        publish_audio=on_stage,
        video_participant_limit=VIDEO_PARTICIPANT_LIMIT,
        stage_only=webinar,
        modes=MODES if on_stage else ("none",),
    )


class _ServerlessProvider:
    """What a provider with no video server does: nothing to start or end, no recordings
    kept (a host may upload one to the session afterwards), and a breakout room joined with
    the main room's details (the room socket keeps a breakout room's signalling inside it)."""

    kind: str

    def join_details(
        self, *, session: LiveSession, user: User, is_host: bool, display_name: str
    ) -> JoinDetails:
        raise NotImplementedError

    def start(self, *, session: LiveSession) -> None:
        return None

    def end(self, *, session: LiveSession) -> None:
        return None

    def is_running(self, *, session: LiveSession) -> bool | None:
        return None

    def recordings(self, *, session: LiveSession) -> list[Recording]:
        return []

    def breakout_join_details(
        self,
        *,
        session: LiveSession,
        breakout: BreakoutRoom,
        user: User,
        is_host: bool,
        display_name: str,
    ) -> JoinDetails:
        details = self.join_details(
            session=session, user=user, is_host=is_host, display_name=display_name
        )
        return replace(details, breakout_id=breakout.pk)

    def start_breakout(self, *, session: LiveSession, breakout: BreakoutRoom) -> None:
        return None

    def end_breakout(self, *, session: LiveSession, breakout: BreakoutRoom) -> None:
        return None


class BuiltinProvider(_ServerlessProvider):
    """Peer-to-peer WebRTC: no meeting to create or end on any server."""

    kind: str = VideoProvider.BUILTIN

    def __init__(self, settings: LiveVideoSettings) -> None:
        self.settings = settings

    def join_details(
        self, *, session: LiveSession, user: User, is_host: bool, display_name: str
    ) -> JoinDetails:
        return JoinDetails(
            kind=self.kind,
            is_moderator=is_host,
            ice_servers=ice_servers(self.settings),
            media=media_policy(session=session, is_host=is_host),
            signalling_types=SIGNAL_TYPES,
        )


class NoVideoProvider(_ServerlessProvider):
    """A session without video: chat, Q&A and polls only (in breakout rooms too)."""

    kind: str = VideoProvider.NONE

    def join_details(
        self, *, session: LiveSession, user: User, is_host: bool, display_name: str
    ) -> JoinDetails:
        return JoinDetails(kind=self.kind, is_moderator=is_host)
