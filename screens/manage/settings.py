"""Settings (admins): community name, yearly study hours per category, contact and lock timings,
and low-bandwidth mode for every session (yes/no; it takes effect when a session starts).

A form of plain text fields (Textual's Input keeps the IME's candidate window at the caret).
Ctrl+S saves through the store, which checks everything at once: each problem is written under
its field and nothing is saved. Esc asks before dropping edits. If someone saved the settings
meanwhile, the save is refused and the person chooses: load theirs (dropping these edits),
overwrite theirs, or go back to editing.

While the form holds edits, a change on disk does not refill it: the save then meets the newer
version as a conflict, which is the moment to decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Label

from screens.shell.form_screen import RecordForm
from screens.shell.session import Session
from screens.widgets.form import (
    FormField,
    clear_errors,
    form_fields,
    problems,
)
from screens.widgets.scroll import TextScroll
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.enums import Category, TrainingKind, coerce, label
from store.errors import StoreError
from store.i18n import N_, _
from store.permissions import Action
from store.settings.model import Settings

TIMINGS = (
    ("contact_warn_days", N_("Contact due after (days)")),
    ("contact_overdue_days", N_("Contact overdue after (days)")),
    ("idle_lock_minutes", N_("Lock after (idle minutes)")),
)

# -- patrols (issue 10): the schedule's rules, kept in one block --
PATROL_SETTINGS = (
    ("patrol_max_consecutive_days", N_("Most patrol days in a row"), 2),
    ("patrol_max_hours_per_day", N_("Most patrol hours in a day"), 2),
    ("patrol_senior_age", N_("From this age, a lower limit"), 3),
    ("patrol_senior_max_hours_per_day", N_("Their most hours in a day"), 2),
    ("patrol_self_check_in", N_("Volunteers check themselves in"), 3),
    ("patrol_swaps_need_approval", N_("Swaps need a coordinator's yes"), 3),
    ("patrol_time_zone", N_("Time zone for calendar files"), 40),
    ("patrol_template_max_shifts", N_("Ask before a template makes more than"), 4),
)
PATROL_FLAGS = ("patrol_self_check_in", "patrol_swaps_need_approval")


def patrol_values(settings: Settings) -> dict[str, str]:
    """The patrol fields as the form shows them (yes/no in the current language)."""
    values = {}
    for name, _text, _size in PATROL_SETTINGS:
        value = getattr(settings, name)
        values[name] = (_("Yes") if value else _("No")) if name in PATROL_FLAGS else str(value)
    return values


# -- training (issue 11) ---------------------------------------------------------------------
TRAINING = (
    ("certificate_warn_days", N_("Warn before a certificate expires (days)"), 4),
    ("duty_certificates.patrol_leader", N_("Patrol leaders need (certificate kind)"), 20),
    ("duty_certificates.patrol", N_("Patrol members need (certificate kind)"), 20),
    ("closed_year", N_("Training years closed up to (0: none)"), 4),
)
DUTY_PREFIX = "duty_certificates."


def training_values(settings: Settings) -> dict[str, str]:
    """The training fields' text: a kind by its label, blank for none."""
    values = {
        "certificate_warn_days": str(settings.certificate_warn_days),
        "closed_year": str(settings.closed_year),
    }
    for duty, kind in settings.duty_certificates.items():
        found = coerce(TrainingKind, kind or None)
        values[DUTY_PREFIX + duty] = label(found) if found else ""
    return values


def training_raw(values: dict[str, str]) -> dict[str, Any]:
    """The training fields as the store's ``settings.update`` takes them."""
    return {
        "certificate_warn_days": values["certificate_warn_days"],
        "closed_year": values["closed_year"],
        "duty_certificates": {
            key.removeprefix(DUTY_PREFIX): value
            for key, value in values.items()
            if key.startswith(DUTY_PREFIX)
        },
    }


# -- end of training -------------------------------------------------------------------------


# Whether an import keeps members' ID numbers (else they only fill birth dates and sexes).
ID_NUMBERS = "store_id_numbers"


def hours_text(hours: float) -> str:
    """Hours as people write them: 32, 12.5."""
    return f"{hours:g}"


LOW_BANDWIDTH = ("low_bandwidth", N_("Low-bandwidth mode for every session (yes/no)"))


def yes_no(value: bool) -> str:
    """A yes/no field's text in the current language (the store reads yes/no and 是/否)."""
    return _("Yes") if value else _("No")


def form_values(settings: Settings) -> dict[str, str]:
    """What each field of the form shows for ``settings``."""
    values = {"community_name": settings.community_name}
    for category in Category:
        values[f"yearly_hours.{category.value}"] = hours_text(settings.hours_for(category))
    values["contact_warn_days"] = str(settings.contact_warn_days)
    values["contact_overdue_days"] = str(settings.contact_overdue_days)
    values["idle_lock_minutes"] = str(settings.idle_lock_minutes)
    values.update(training_values(settings))
    values[ID_NUMBERS] = _("Yes") if settings.store_id_numbers else _("No")
    values["low_bandwidth"] = yes_no(settings.low_bandwidth)
    return values | patrol_values(settings)


def raw_settings(values: dict[str, str]) -> dict[str, Any]:
    """The form's text as the store's ``settings.update`` takes it (it parses and checks)."""
    prefix = "yearly_hours."
    return {
        "community_name": values["community_name"],
        "yearly_hours": {
            key.removeprefix(prefix): value
            for key, value in values.items()
            if key.startswith(prefix)
        },
        **{key: values[key] for key, _label in TIMINGS},
        **{key: values[key] for key, _label, _size in PATROL_SETTINGS},
        **training_raw(values),
        ID_NUMBERS: values[ID_NUMBERS],
        "low_bandwidth": values["low_bandwidth"],
    }


class SettingsScreen(RecordForm):
    """The settings form, opened from Manage (section 5)."""

    MESSAGE_ID = "settings-message"
    TABLE = "settings"
    DROP_QUESTION = N_("Your changes to the settings are not saved. Drop them?")

    @dataclass
    class Saved(Message):
        """The store took the settings; ``settings`` as stored."""

        settings: Settings

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, None, id="settings")
        self.settings_id = ""  # none stored yet: the first save makes the record

    def compose_body(self) -> ComposeResult:
        with TextScroll(id="settings-form"):
            yield FormField("community_name", _("Community name"), max_length=60)
            yield Label(
                _("Study hours a year, by member category"), classes="form-heading", markup=False
            )
            for category in Category:
                yield FormField(f"yearly_hours.{category.value}", label(category), max_length=6)
            yield Label(_("Reminders and the screen lock"), classes="form-heading", markup=False)
            for name, text in TIMINGS:
                yield FormField(name, _(text), max_length=4)
            yield Label(_("Patrol schedule"), classes="form-heading", markup=False)
            for name, text, size in PATROL_SETTINGS:
                yield FormField(name, _(text), max_length=size)
            yield Label(_("Training and certificates"), classes="form-heading", markup=False)
            for name, text, size in TRAINING:
                yield FormField(name, _(text), max_length=size)
            yield Label(_("Privacy"), classes="form-heading", markup=False)
            yield FormField(ID_NUMBERS, _("Keep ID numbers (身份证号) from imports"), max_length=3)
            # From the next start of each session: Textual reads it before it starts.
            yield FormField(LOW_BANDWIDTH[0], _(LOW_BANDWIDTH[1]), max_length=5)
        # Below the scrolling fields, so it is seen wherever the form is scrolled to.
        yield SafeLabel("", id="settings-message")

    def on_mount(self) -> None:
        self.query_one(FormField).input.focus()

    # -- loading -------------------------------------------------------------------------------

    def prepare(self, snapshot: Snapshot) -> Settings:
        from store.settings import ops as settings

        return settings.current(snapshot)

    def show(self, view: Settings) -> None:
        if self.has_unsaved_edits():
            return  # keep the person's edits; saving will meet the newer version
        self.fill(view)

    def fill(self, settings: Settings) -> None:
        """Show ``settings`` in the form and take it as the unedited state."""
        self.version = settings.version
        self.settings_id = settings.id
        clear_errors(self.fields())
        self.fill_values(form_values(settings))

    def record_id(self) -> str | None:
        return self.settings_id or None

    def conflict_words(self) -> tuple[str, str]:
        return (
            _("Someone else saved the settings while you were editing them."),
            _("Not saved: someone else changed the settings meanwhile."),
        )

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]:
        return form_values(Settings.from_doc(doc))

    def fill_record(self, doc: Mapping[str, Any]) -> None:
        self.fill(Settings.from_doc(doc))  # their record's id too: it may be the first stored

    def field_problems(self) -> Mapping[str, str]:
        from store.settings.validation import validate_settings

        raw = raw_settings(self.values())
        return problems(lambda: validate_settings(raw))

    # -- saving --------------------------------------------------------------------------------

    def action_save(self, expected_version: int | None = None) -> None:
        """Save the form (Ctrl+S); the store checks every field and the version."""
        if not self.filled or self.saving or not self.permitted(Action.EDIT_SETTINGS):
            return
        clear_errors(form_fields(self))
        self.say(_("Saving…"))
        self.saving = True
        version = self.version if expected_version is None else expected_version
        self._save(raw_settings(self.values()), version)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, raw: dict[str, Any], expected_version: int) -> None:
        from store.settings import ops as settings

        try:
            saved = settings.update(self.session.db, self.session.acting, raw, expected_version)
        except StoreError as error:  # bad fields, a newer version, busy, write failed...
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(saved))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saving = False
        # The stored version at once: keys typed after Ctrl+S may be new edits before the
        # reload lands, and their save must not meet this one as someone else's.
        self.version = message.settings.version
        self.settings_id = message.settings.id
        self.take_baseline()
        self.say("")
        self.notify(_("Settings saved."), markup=False)
        self.reload()  # the stored version (and the store's tidy form of what was typed)

    def save_over(self, expected_version: int) -> None:
        self.action_save(expected_version=expected_version)
