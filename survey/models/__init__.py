"""The data model: one module per aggregate, re-exported here."""

from survey.models.area import LEVELS, Area
from survey.models.channel import CAPPED_KINDS, CHANNEL_KINDS, Channel, DoorCode
from survey.models.feedback import UPDATE_STATUSES, Update
from survey.models.insight import AreaNote, ProfileModel
from survey.models.officer import (
    ROLES,
    AuditEvent,
    Officer,
    OfficerInvite,
    OfficerSession,
    WorkspaceSetting,
)
from survey.models.outbox import Outbox
from survey.models.response import (
    PERSONAL_DATA_DECISIONS,
    PERSONAL_DATA_MARKS,
    Answer,
    DayKey,
    Response,
    counted,
    personal_data_mark,
    shown_text,
    suspect_only,
)
from survey.models.subscription import Subscription
from survey.models.survey import (
    KINDS,
    LAYERS,
    QUESTION_TYPES,
    STATUSES,
    Question,
    Survey,
    bump_structure,
    question_from_spec,
    visible_to_residents,
)
from survey.models.tally import Tally
from survey.models.theme import THEME_NAME_MAX, Theme, ThemeSet
from survey.models.volunteer import VOLUNTEER_STATUSES, Volunteer

__all__ = [
    "CAPPED_KINDS",
    "CHANNEL_KINDS",
    "KINDS",
    "LAYERS",
    "LEVELS",
    "PERSONAL_DATA_DECISIONS",
    "PERSONAL_DATA_MARKS",
    "QUESTION_TYPES",
    "ROLES",
    "STATUSES",
    "THEME_NAME_MAX",
    "UPDATE_STATUSES",
    "VOLUNTEER_STATUSES",
    "Answer",
    "AreaNote",
    "ProfileModel",
    "Area",
    "AuditEvent",
    "Channel",
    "DayKey",
    "DoorCode",
    "Officer",
    "OfficerInvite",
    "OfficerSession",
    "Outbox",
    "Question",
    "Response",
    "Subscription",
    "Tally",
    "Survey",
    "Theme",
    "ThemeSet",
    "Update",
    "Volunteer",
    "WorkspaceSetting",
    "counted",
    "suspect_only",
    "personal_data_mark",
    "shown_text",
    "bump_structure",
    "question_from_spec",
    "visible_to_residents",
]
