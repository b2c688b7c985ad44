"""The people of the demo hospital: its staff and thirty learners around the world.

Riverside General runs its sepsis programme for its own wards in Chicago and for the partner
clinics and travelling staff it trains remotely, so learners sit in eight time zones: the
pages show every time in each person's own zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cadenza.accounts.actions import create_user
from cadenza.accounts.models import User
from cadenza.orgs.actions import add_member
from cadenza.orgs.models import Organization, Role

EMAIL_DOMAIN = "riverside.example"

# One password for every demo account, printed by `cadenza demo`: the demo is for looking
# around on a local machine, never for a site reachable by others.
DEMO_PASSWORD = "riverside-demo"  # noqa: S105 - published on purpose


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """One account of the demo: who they are, where they are and their role at Riverside."""

    first_name: str
    last_name: str
    time_zone: str
    role: Role
    title: str = ""

    @property
    def email(self) -> str:
        local = re.sub(r"[^a-z.]", "", f"{self.first_name}.{self.last_name}".lower())
        return f"{local}@{EMAIL_DOMAIN}"

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}"
        return f"{self.title} {name}" if self.title else name


ADMIN = DemoPerson("Jordan", "Reyes", "America/Chicago", Role.ADMIN)
INSTRUCTOR = DemoPerson("Amara", "Okafor", "America/Chicago", Role.INSTRUCTOR, title="Dr.")
TEACHING_ASSISTANT = DemoPerson("Daniel", "Kowalski", "America/New_York", Role.TA)
STAFF = (ADMIN, INSTRUCTOR, TEACHING_ASSISTANT)


def _learner(first: str, last: str, zone: str) -> DemoPerson:
    return DemoPerson(first, last, zone, Role.LEARNER)


LEARNERS = (
    _learner("Maria", "Santos", "America/Chicago"),
    _learner("Tyler", "Brooks", "America/Chicago"),
    _learner("Keisha", "Washington", "America/Chicago"),
    _learner("Hannah", "Lindqvist", "America/Chicago"),
    _learner("Marcus", "Bell", "America/Chicago"),
    _learner("Rosa", "Delgado", "America/Chicago"),
    _learner("Emily", "Carter", "America/New_York"),
    _learner("Jamal", "Henderson", "America/New_York"),
    _learner("Sofia", "Russo", "America/New_York"),
    _learner("Kevin", "O'Brien", "America/New_York"),
    _learner("Olivia", "Hughes", "Europe/London"),
    _learner("Callum", "Fraser", "Europe/London"),
    _learner("Aisha", "Rahman", "Europe/London"),
    _learner("Jonas", "Becker", "Europe/Berlin"),
    _learner("Lena", "Vogel", "Europe/Berlin"),
    _learner("Tobias", "Schmitt", "Europe/Berlin"),
    _learner("Priya", "Nair", "Asia/Kolkata"),
    _learner("Arjun", "Mehta", "Asia/Kolkata"),
    _learner("Kavya", "Iyer", "Asia/Kolkata"),
    _learner("Angelica", "Reyes", "Asia/Manila"),
    _learner("Paolo", "Villanueva", "Asia/Manila"),
    _learner("Jasmine", "Bautista", "Asia/Manila"),
    _learner("Chinedu", "Eze", "Africa/Lagos"),
    _learner("Funmilayo", "Adeyemi", "Africa/Lagos"),
    _learner("Ibrahim", "Bello", "Africa/Lagos"),
    _learner("Ngozi", "Obi", "Africa/Lagos"),
    _learner("Liam", "Nguyen", "Australia/Sydney"),
    _learner("Chloe", "Mitchell", "Australia/Sydney"),
    _learner("Ethan", "Walsh", "Australia/Sydney"),
    _learner("Grace", "Tan", "Australia/Sydney"),
)

# The learner the printed log-ins suggest: enrolled, nothing started, so the course is fresh.
FRESH_LEARNER = LEARNERS[0]


def create_people(*, org: Organization) -> dict[DemoPerson, User]:
    """Create every demo account with its role in ``org``; returns each person's user."""
    users: dict[DemoPerson, User] = {}
    for person in (*STAFF, *LEARNERS):
        user = create_user(
            email=person.email,
            password=DEMO_PASSWORD,
            display_name=person.display_name,
            time_zone=person.time_zone,
        )
        add_member(org=org, user=user, role=person.role)
        users[person] = user
    return users
