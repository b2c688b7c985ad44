"""Reading progress: the learner's dashboard and course outline, the unit page's navigation,
and the instructor's progress table.

This module is the public import path; the code lives in one sibling module per concept:
``progress_summary`` (a unit's status, course progress, where to continue), ``dashboard``,
``course_outline``, ``unit_page`` and ``progress_table``.

Every function runs a fixed number of queries whatever the number of units or learners
(tests compare a 5-unit and a 200-unit course): units and progress rows are fetched in one
query each and joined in Python; per-learner totals are aggregated by the database.
"""

from __future__ import annotations

from cadenza.learning.selectors.course_outline import (
    CourseOutline,
    ModuleOutline,
    UnitState,
    course_outline,
    unit_to_continue,
)
from cadenza.learning.selectors.dashboard import DashboardEntry, dashboard
from cadenza.learning.selectors.progress_summary import CourseProgress, UnitStatus
from cadenza.learning.selectors.progress_table import (
    LearnerProgressRow,
    ProgressTable,
    progress_table,
)
from cadenza.learning.selectors.unit_page import (
    UnitLink,
    UnitNavigation,
    records_progress,
    unit_navigation,
    unit_progress,
)

__all__ = [
    "CourseOutline",
    "CourseProgress",
    "DashboardEntry",
    "LearnerProgressRow",
    "ModuleOutline",
    "ProgressTable",
    "UnitLink",
    "UnitNavigation",
    "UnitState",
    "UnitStatus",
    "course_outline",
    "dashboard",
    "progress_table",
    "records_progress",
    "unit_navigation",
    "unit_progress",
    "unit_to_continue",
]
