"""Test data for the video provider tests: an organization with a host, a learner and one
scheduled session, built through the scheduling action; breakout rooms started through the
room's action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.courses.actions import enrol_learner, publish_course
from cadenza.live.models import (
    BreakoutRoom,
    LiveSession,
    LiveVideoSettings,
    SessionFormat,
    VideoProvider,
)
from cadenza.live.room.actions.breakouts import BreakoutPlan, start_breakouts
from cadenza.live.schedule.actions.scheduling import schedule_live_session
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext
from tests.factories import make_course, make_module, make_org, make_user

JITSI_SECRET = "a-long-shared-app-secret-of-the-clinic"
JITSI = {
    "jitsi_domain": "meet.example.org",
    "jitsi_app_id": "cadenza",
    "jitsi_app_secret": JITSI_SECRET,
}
BBB_SECRET = "8cd8ef52e8e101574e400365b55e11a6"
BBB = {"bbb_url": "https://bbb.example.org/bigbluebutton/", "bbb_secret": BBB_SECRET}


class FakeServer:
    """A BigBlueButton server: answers every GET with the next recorded reply and remembers
    the URLs asked."""

    def __init__(self, *replies: bytes) -> None:
        self.replies = list(replies)
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.replies.pop(0)


@dataclass
class Room:
    org: Organization
    host: User
    learner: User
    session: LiveSession


def make_room(
    *,
    provider: VideoProvider,
    format: SessionFormat = SessionFormat.CLASS,
    starts_at: datetime | None = None,
    minutes: int = 60,
    capacity: int | None = None,
    settings: dict[str, str] | None = None,
) -> Room:
    """A session of ``provider`` (by default starting in 5 minutes, whole seconds) and the
    organization's video settings saved with ``settings``."""
    org = make_org()
    host = make_user(
        org, Role.INSTRUCTOR, email=f"host@{org.slug}.example.org", display_name="Hana Host"
    )
    learner = make_user(
        org, Role.LEARNER, email=f"lea@{org.slug}.example.org", display_name="Lea Learner"
    )
    if settings is not None:
        LiveVideoSettings.objects.create(org=org, **settings)
    start = starts_at or (timezone.now() + timedelta(minutes=5)).replace(microsecond=0)
    scheduled = schedule_live_session(
        module=make_module(make_course(org)),
        title="Sepsis & shock: Q&A",
        agenda="",
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        hosts=[host],
        format=format,
        created_by=host,
        provider=provider,
        capacity=capacity,
    )
    return Room(org=org, host=host, learner=learner, session=scheduled.sessions[0])


@dataclass
class Breakouts:
    """Two open breakout rooms of a room's session: the room's learner in "Triage", a second
    learner (Bo) in "Fluids"; the host in none."""

    triage: BreakoutRoom
    fluids: BreakoutRoom
    other_learner: User


def start_two_breakouts(room: Room) -> Breakouts:
    """Publish the session's course, enrol both learners (so they may open the session's
    page) and have the host start two breakout rooms."""
    course = room.session.course
    publish_course(course=course)
    other = make_user(
        room.org, Role.LEARNER, email=f"bo@{room.org.slug}.example.org", display_name="Bo"
    )
    for learner in (room.learner, other):
        enrol_learner(course=course, user=learner)
    start_breakouts(
        ctx=OrgContext(org=room.org, user=room.host, role=Role.INSTRUCTOR),
        session=room.session,
        client_event_id="split-1",
        rooms=[
            BreakoutPlan(name="Triage", member_ids=[room.learner.pk]),
            BreakoutPlan(name="Fluids", member_ids=[other.pk]),
        ],
    )
    triage, fluids = BreakoutRoom.objects.filter(session=room.session).order_by("position")
    return Breakouts(triage=triage, fluids=fluids, other_learner=other)


# BigBlueButton replies shaped exactly like the API documentation's examples.

CREATE_REPLY = b"""<response>
  <returncode>SUCCESS</returncode>
  <meetingID>Test</meetingID>
  <internalMeetingID>640ab2bae07bedc4c163f679a746f7ab7fb5d1fa-1531155809613</internalMeetingID>
  <parentMeetingID>bbb-none</parentMeetingID>
  <createTime>1531155809613</createTime>
  <voiceBridge>70757</voiceBridge>
  <dialNumber>613-555-1234</dialNumber>
  <createDate>Mon Jul 09 17:03:29 UTC 2018</createDate>
  <hasUserJoined>false</hasUserJoined>
  <duration>0</duration>
  <hasBeenForciblyEnded>false</hasBeenForciblyEnded>
  <messageKey>duplicateWarning</messageKey>
  <message>This conference was already in existence and may currently be in progress.</message>
</response>"""

END_REPLY = b"""<response>
  <returncode>SUCCESS</returncode>
  <messageKey>sentEndMeetingRequest</messageKey>
  <message>
    A request to end the meeting was sent.  Please wait a few seconds, and then use the
    getMeetingInfo or isMeetingRunning API calls to verify that it was ended
  </message>
</response>"""

CHECKSUM_ERROR = b"""<response>
<returncode>FAILED</returncode>
<messageKey>checksumError</messageKey>
<message>Checksums do not match</message>
</response>"""

NOT_FOUND = b"""<response>
<returncode>FAILED</returncode>
<messageKey>notFound</messageKey>
<message>We could not find a meeting with that meeting ID - perhaps the meeting is not yet
running?</message>
</response>"""

RECORDINGS_REPLY = b"""<response>
   <returncode>SUCCESS</returncode>
   <recordings>
      <recording>
         <recordID>ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124</recordID>
         <meetingID>c637ba21adcd0191f48f5c4bf23fab0f96ed5c18</meetingID>
         <internalMeetingID>ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124</internalMeetingID>
         <name>Fred's Room</name>
         <isBreakout>false</isBreakout>
         <published>true</published>
         <state>published</state>
         <startTime>1530718721124</startTime>
         <endTime>1530718810456</endTime>
         <participants>3</participants>
         <metadata>
            <isBreakout>false</isBreakout>
            <meetingName>Fred's Room</meetingName>
            <gl-listed>false</gl-listed>
            <meetingId>c637ba21adcd0191f48f5c4bf23fab0f96ed5c18</meetingId>
         </metadata>
         <playback>
            <format>
               <type>podcast</type>
               <url>https://demo.bigbluebutton.org/podcast/ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124/audio.ogg</url>
               <processingTime>0</processingTime>
               <length>0</length>
            </format>
            <format>
               <type>presentation</type>
               <url>https://demo.bigbluebutton.org/playback/presentation/2.0/playback.html?meetingId=ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124</url>
               <processingTime>7177</processingTime>
               <length>0</length>
               <preview>
                  <images>
                     <image alt="Welcome to" height="136" width="176">https://demo.bigbluebutton.org/presentation/ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124/presentation/d2d9a672040fbde2a47a10bf6c37b6a4b5ae187f-1530718721134/thumbnails/thumb-1.png</image>
                  </images>
               </preview>
            </format>
         </playback>
      </recording>
      <recording>
         <recordID>ffbfc4cc24428694e8b53a4e144f414052431693-1530278898111</recordID>
         <meetingID>c637ba21adcd0191f48f5c4bf23fab0f96ed5c18</meetingID>
         <internalMeetingID>ffbfc4cc24428694e8b53a4e144f414052431693-1530278898111</internalMeetingID>
         <name>Fred's Room</name>
         <isBreakout>false</isBreakout>
         <published>true</published>
         <state>published</state>
         <startTime>1530278898111</startTime>
         <endTime>1530281194326</endTime>
         <participants>7</participants>
         <metadata>
            <meetingName>Fred's Room</meetingName>
            <isBreakout>false</isBreakout>
            <gl-listed>true</gl-listed>
            <meetingId>c637ba21adcd0191f48f5c4bf23fab0f96ed5c18</meetingId>
         </metadata>
         <playback>
            <format>
               <type>podcast</type>
               <url>https://demo.bigbluebutton.org/podcast/ffbfc4cc24428694e8b53a4e144f414052431693-1530278898111/audio.ogg</url>
               <processingTime>0</processingTime>
               <length>33</length>
            </format>
            <format>
               <type>presentation</type>
               <url>https://demo.bigbluebutton.org/playback/presentation/2.0/playback.html?meetingId=ffbfc4cc24428694e8b53a4e144f414052431693-1530278898111</url>
               <processingTime>139458</processingTime>
               <length>33</length>
            </format>
         </playback>
      </recording>
   </recordings>
</response>"""
