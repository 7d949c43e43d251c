"""The fixed choices of the data model, their translatable labels and the words people use for them.

Values are stored as the English snake_case strings (``StrEnum``), so a JSON file reads the same in
any language. Labels are English msgids marked with ``N_`` here and translated by :func:`label` at
the moment they are shown, because the language is chosen after this module is imported.

Spreadsheets and volunteers say 在职党员, 代管, 女 ... rather than ``in_service``; :func:`coerce`
accepts the stored value, the English label, the label in the current language and the common
Chinese words below, ignoring case, width (full-width brackets) and spaces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar, cast

from store.actor import Role
from store.i18n import N_, _
from store.textsafe import nfkc


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Category(StrEnum):
    """How a member relates to the community; decides the yearly study hours required."""

    IN_SERVICE = "in_service"
    RETIRED = "retired"
    MOBILE_IN = "mobile_in"
    MOBILE_OUT = "mobile_out"
    OTHER = "other"


class Management(StrEnum):
    DIRECT = "direct"
    ENTRUSTED = "entrusted"
    ASSISTED = "assisted"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    TRANSFERRED_OUT = "transferred_out"
    DECEASED = "deceased"
    ARCHIVED = "archived"


class ExemptReason(StrEnum):
    """Why a member is excused from the yearly study hours."""

    ELDERLY = "elderly"
    ILL = "ill"
    OTHER = "other"


class ContactMethod(StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    MESSAGE = "message"
    OTHER = "other"


class AssignmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class TrainingKind(StrEnum):
    THEORY = "theory"
    POLICY = "policy"
    SKILLS = "skills"
    SAFETY = "safety"
    FIRST_AID = "first_aid"
    THEME_DAY = "theme_day"
    OTHER = "other"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"
    MAKE_UP = "make_up"


class HoursRule(StrEnum):
    """How a session's study hours are credited: a full day 8, a half day 4, or as given."""

    FULL_DAY = "full_day"
    HALF_DAY = "half_day"
    GIVEN = "given"


class Audience(StrEnum):
    """Who a training session is for: everyone, one category, one branch, or a list."""

    ALL = "all"
    CATEGORY = "category"
    BRANCH = "branch"
    LIST = "list"


# One enum for roles: the actor's. The name UserRole stays for the models and their labels.
UserRole = Role


class DatePrecision(StrEnum):
    """How much of a date was given: spreadsheets often record only the month (1958年3月)."""

    DAY = "day"
    MONTH = "month"


_LABELS: dict[type[StrEnum], Mapping[str, str]] = {
    Gender: {Gender.MALE: N_("Male"), Gender.FEMALE: N_("Female")},
    Category: {
        Category.IN_SERVICE: N_("In service"),
        Category.RETIRED: N_("Retired"),
        Category.MOBILE_IN: N_("Mobile (moved in)"),
        Category.MOBILE_OUT: N_("Mobile (away)"),
        Category.OTHER: N_("Other"),
    },
    Management: {
        Management.DIRECT: N_("Direct"),
        Management.ENTRUSTED: N_("Entrusted"),
        Management.ASSISTED: N_("Assisted"),
    },
    MemberStatus: {
        MemberStatus.ACTIVE: N_("Active"),
        MemberStatus.TRANSFERRED_OUT: N_("Transferred out"),
        MemberStatus.DECEASED: N_("Deceased"),
        MemberStatus.ARCHIVED: N_("Archived"),
    },
    ExemptReason: {
        ExemptReason.ELDERLY: N_("Elderly"),
        ExemptReason.ILL: N_("Ill"),
        ExemptReason.OTHER: N_("Other"),
    },
    ContactMethod: {
        ContactMethod.PHONE: N_("Phone"),
        ContactMethod.VISIT: N_("Visit"),
        ContactMethod.MESSAGE: N_("Message"),
        ContactMethod.OTHER: N_("Other"),
    },
    AssignmentStatus: {
        AssignmentStatus.SCHEDULED: N_("Scheduled"),
        AssignmentStatus.PRESENT: N_("Present"),
        AssignmentStatus.ABSENT: N_("Absent"),
        AssignmentStatus.EXCUSED: N_("Excused"),
    },
    TrainingKind: {
        TrainingKind.THEORY: N_("Theory"),
        TrainingKind.POLICY: N_("Policy"),
        TrainingKind.SKILLS: N_("Skills"),
        TrainingKind.SAFETY: N_("Safety"),
        TrainingKind.FIRST_AID: N_("First aid"),
        TrainingKind.THEME_DAY: N_("Theme day"),
        TrainingKind.OTHER: N_("Other"),
    },
    AttendanceStatus: {
        AttendanceStatus.PRESENT: N_("Present"),
        AttendanceStatus.ABSENT: N_("Absent"),
        AttendanceStatus.EXCUSED: N_("Excused"),
        AttendanceStatus.MAKE_UP: N_("Make-up"),
    },
    HoursRule: {
        HoursRule.FULL_DAY: N_("Full day (8 h)"),
        HoursRule.HALF_DAY: N_("Half day (4 h)"),
        HoursRule.GIVEN: N_("As given"),
    },
    Audience: {
        Audience.ALL: N_("All members"),
        Audience.CATEGORY: N_("A category"),
        Audience.BRANCH: N_("A branch"),
        Audience.LIST: N_("A list"),
    },
    UserRole: {
        UserRole.ADMIN: N_("Administrator"),
        UserRole.COORDINATOR: N_("Coordinator"),
        UserRole.VOLUNTEER: N_("Volunteer"),
    },
    DatePrecision: {DatePrecision.DAY: N_("Exact day"), DatePrecision.MONTH: N_("Month only")},
}

# Words found in real rosters and typed by volunteers, before folding (see _fold).
_ALIASES: dict[type[StrEnum], dict[str, tuple[str, ...]]] = {
    Gender: {"male": ("男", "男性", "m"), "female": ("女", "女性", "f")},
    # The roster's category words (README, "Category words"): what offices write in 党员类别.
    Category: {
        "in_service": ("在职", "在职党员", "在岗", "在岗党员", "在职人员", "在职职工", "机关"),
        "retired": (
            "离退休党员",
            "退休党员",
            "离休党员",
            "离退休",
            "退休",
            "离休",
            "退休人员",
            "离退休人员",
            "退休职工",
            "退休干部",
            "离休干部",
        ),
        "mobile_in": (
            "流动党员（流入）",
            "流入党员",
            "流入",
            "流动党员流入",
            "流入流动党员",
            "外来党员",
            "外地党员",
        ),
        "mobile_out": (
            "流动党员（外出）",
            "流动党员（流出）",
            "外出党员",
            "流出党员",
            "流出",
            "外出",
            "流动党员外出",
            "流动党员流出",
            "外出流动党员",
            "流出流动党员",
            "外出务工",
            "外出经商",
        ),
        "other": ("其他", "其它", "其他党员", "无业", "待业", "学生", "农民"),
    },
    Management: {
        "direct": ("直管", "直接管理"),
        "entrusted": ("代管", "委托管理"),
        "assisted": ("协管", "协助管理"),
    },
    MemberStatus: {
        "active": ("正常", "在册", "在籍", "在册党员"),
        "transferred_out": ("转出", "已转出", "关系转出", "组织关系转出", "已转走"),
        "deceased": ("去世", "已故", "逝世", "病故", "死亡"),
        "archived": ("归档", "已归档", "存档"),
    },
    ExemptReason: {
        "elderly": ("年老", "高龄", "年老体弱", "年迈", "老年"),
        "ill": ("患病", "生病", "疾病", "体弱多病", "病"),
        "other": ("其他", "其它"),
    },
    ContactMethod: {
        "phone": ("电话", "打电话", "通话"),
        "visit": ("走访", "上门", "上门走访", "拜访", "家访", "面谈"),
        "message": ("信息", "短信", "微信", "消息", "留言"),
        "other": ("其他", "其它"),
    },
    AssignmentStatus: {
        "scheduled": ("已排班", "排班", "计划"),
        "present": ("到岗", "出勤", "到"),
        "absent": ("缺勤", "缺岗", "未到"),
        "excused": ("请假", "事假", "病假"),
    },
    TrainingKind: {
        "theory": ("理论", "理论学习"),
        "policy": ("政策", "政策学习"),
        "skills": ("技能", "技能培训"),
        "safety": ("安全", "安全培训", "安全教育", "消防", "消防安全"),
        "first_aid": ("急救", "急救培训"),
        "theme_day": ("主题党日", "主题日"),
        "other": ("其他", "其它"),
    },
    AttendanceStatus: {
        "present": ("出席", "出勤", "参加", "到"),
        "absent": ("缺席", "缺勤", "未到"),
        "excused": ("请假", "事假", "病假"),
        "make_up": ("补课", "补学", "补"),
    },
    HoursRule: {
        "full_day": ("全天", "一天", "整天"),
        "half_day": ("半天",),
        "given": ("按实际", "自定"),
    },
    Audience: {
        "all": ("全体", "全体党员", "全部"),
        "category": ("按类别", "类别"),
        "branch": ("按支部", "支部"),
        "list": ("名单", "指定人员"),
    },
    UserRole: {
        "admin": ("管理员",),
        "coordinator": ("协调员", "排班员"),
        "volunteer": ("志愿者",),
    },
}

E = TypeVar("E", bound=StrEnum)


def _key(text: str) -> str:
    """Reduce a choice as typed to a comparable key: width, case, spaces and brackets ignored."""
    text = re.sub(r"[\s\-]+", "_", nfkc(text).casefold().strip())
    return "".join(c for c in text if c.isalnum() or c == "_")


def _folded_names(cls: type[StrEnum]) -> dict[str, str]:
    """Every fixed way to name a member of ``cls`` (value, English label, aliases) -> value."""
    names = {_key(word): value for value, words in _ALIASES.get(cls, {}).items() for word in words}
    for member in cls:
        names[_key(_LABELS[cls][member])] = member.value
        names[member.value] = member.value
    return names


_FOLDED: dict[type[StrEnum], dict[str, str]] = {cls: _folded_names(cls) for cls in _LABELS}
# A stored value names its member exactly: the common case (every record read) skips folding.
_BY_VALUE: dict[type[StrEnum], dict[str, StrEnum]] = {
    cls: {member.value: member for member in cls} for cls in _LABELS
}


def label(value: StrEnum) -> str:
    """The label of ``value`` in the current language, for tables, forms and exports."""
    return _(_LABELS[type(value)][value])


def choices(cls: type[E]) -> list[tuple[E, str]]:
    """Every member of ``cls`` in declaration order with its current label, for select fields."""
    return [(member, label(member)) for member in cls]


def coerce(cls: type[E], value: object) -> E | None:
    """Return the member of ``cls`` that ``value`` names, or None if it names none.

    Accepts a member, its stored value, its English or translated label, or a common Chinese word
    for it (see ``_ALIASES``). Blank input gives None too; callers decide whether that is allowed.
    """
    if isinstance(value, cls):
        return value
    exact = _BY_VALUE[cls].get(value) if isinstance(value, str) else None
    if exact is not None:
        return cast(E, exact)
    key = _key(value) if isinstance(value, str) else ""
    found = _FOLDED[cls].get(key) if key else None
    if found is None and key:  # the label in the language in use, known only now
        found = next((m.value for m in cls if key == _key(_(_LABELS[cls][m]))), None)
    return None if found is None else cls(found)


WEEKDAYS: tuple[str, ...] = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def weekday_label(iso_weekday: int) -> str:
    """The name of an ISO weekday (1 = Monday ... 7 = Sunday) in the current language."""
    return _(WEEKDAYS[iso_weekday - 1])
