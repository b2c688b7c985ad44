"""The organization's home (``/o/<slug>/``): the parts that apply to the person, most
important first.

Which parts a role may see, and their order, is ``orgs.policy.home_sections``: the
organization's for those who manage it, teaching for those who host live sessions, learning
for everyone. The first part always shows (a learner's courses, an instructor's teaching, an
admin's organization); a later one only when it holds something for the person, so nobody
lands on an empty "My learning".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cadenza.orgs.policy import HomeSection, home_sections
from cadenza.orgs.selectors import OrgContext
from cadenza.web.organization import OrganizationHome, organization_home
from cadenza.web.selectors import DashboardPage, dashboard_page
from cadenza.web.teaching import TeachingHome, teaching_home

TITLES = {
    HomeSection.ORGANIZATION: "Organization",
    HomeSection.TEACHING: "My teaching",
    HomeSection.LEARNING: "My learning",
}


@dataclass(frozen=True, slots=True)
class HomePage:
    """The parts shown, in order; each part's data is set when that part is shown."""

    sections: list[HomeSection]
    learning: DashboardPage | None = None
    teaching: TeachingHome | None = None
    organization: OrganizationHome | None = None

    @property
    def title(self) -> str:
        """The page's heading: its first part's."""
        return TITLES[self.sections[0]]


def home_page(ctx: OrgContext, *, now: datetime) -> HomePage:
    """The person's home in ``ctx.org`` at ``now``. A fixed number of queries for each role:
    learning's (the progress dashboard's three, one for the sessions), teaching's five and the
    organization's four, for the parts the role may see."""
    allowed = home_sections(ctx.role)
    organization = organization_home(ctx) if HomeSection.ORGANIZATION in allowed else None
    teaching = teaching_home(ctx, now=now) if HomeSection.TEACHING in allowed else None
    # Sessions I host are teaching's when the home has a teaching part.
    learning = dashboard_page(ctx, now=now, hosting=teaching is None)
    present = {
        HomeSection.ORGANIZATION: organization is not None,
        HomeSection.TEACHING: teaching is not None and not teaching.is_empty,
        HomeSection.LEARNING: not learning.is_empty,
    }
    sections = [s for position, s in enumerate(allowed) if position == 0 or present[s]]
    return HomePage(
        sections=sections,
        learning=learning if HomeSection.LEARNING in sections else None,
        teaching=teaching if HomeSection.TEACHING in sections else None,
        organization=organization,
    )
