"""``roles_with``: the policy's rule as a query filter, so nothing outside the policy lists
roles (who may host a session, who manages the organization)."""

from __future__ import annotations

import pytest

from cadenza.orgs.models import Role
from cadenza.orgs.policy import Permission, may, roles_with


@pytest.mark.parametrize("permission", list(Permission))
def test_the_roles_with_a_permission_are_exactly_those_may_grants_it(
    permission: Permission,
) -> None:
    assert roles_with(permission) == [role.value for role in Role if may(role, permission)]


def test_staff_host_live_sessions_and_only_admins_manage_the_organization() -> None:
    assert sorted(roles_with(Permission.HOST_LIVE_SESSIONS)) == ["admin", "instructor", "ta"]
    assert roles_with(Permission.MANAGE_ORGANIZATION) == ["admin"]
