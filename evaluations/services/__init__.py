"""Writes of the evaluations app: the only code that changes plans, rounds, milestones, deadlines,
evaluations, certificates and reminders.

Every service takes keyword arguments and the acting user ``by``, checks the permission rule,
validates with ``full_clean`` and runs in a transaction. Edits of an existing row take the
``revision`` the form was rendered with and refuse the save when someone changed the row since.
Callers import from this package (``services.plan_create``); the modules split it by subject.
"""

from .certificates import CERTIFICATE_FIELDS, certificate_record, certificate_update
from .common import ConcurrentEditError, EvaluationsError
from .deadlines import (
    YEAR_END_GRACE_DAYS,
    default_due_date,
    reporting_deadline_add,
    reporting_deadline_remove,
    reporting_deadline_update,
    reporting_deadlines_ensure,
)
from .external import (
    EVALUATION_FIELDS,
    TEAM_MAX,
    TEAM_MIN,
    evaluation_complete,
    evaluation_completion_problems,
    evaluation_reopen,
    evaluation_results_set,
    evaluation_start,
    evaluation_team_set,
    evaluation_update,
    recommendation_add,
    recommendation_adopt,
    recommendation_delete,
)
from .periodic import (
    PeriodicWorkflowError,
    periodic_report_accept,
    periodic_report_open,
    periodic_report_return,
    periodic_report_save,
    periodic_report_start_review,
    periodic_report_submit,
    periodic_report_unlock,
    periodic_report_withdraw,
)
from .plans import plan_create, plan_entry_remove, plan_entry_update, plan_schools_add, plan_update
from .reminding import ReminderOutcome, reminder_payload, reminder_send, reminders_due, reminders_run
from .rounds import (
    milestone_complete,
    milestone_create,
    milestone_delete,
    milestone_reopen,
    milestone_update,
    milestones_from_template,
    round_create,
    round_registration_remove,
    round_schools_register,
    round_update,
)

__all__ = [
    "CERTIFICATE_FIELDS", "EVALUATION_FIELDS", "TEAM_MAX", "TEAM_MIN", "YEAR_END_GRACE_DAYS", "ConcurrentEditError",
    "EvaluationsError", "ReminderOutcome", "certificate_record", "certificate_update", "default_due_date",
    "evaluation_complete", "evaluation_completion_problems", "evaluation_reopen", "evaluation_results_set",
    "evaluation_start", "evaluation_team_set", "evaluation_update", "milestone_complete", "milestone_create",
    "milestone_delete", "milestone_reopen", "milestone_update", "milestones_from_template", "PeriodicWorkflowError",
    "periodic_report_accept", "periodic_report_open", "periodic_report_return", "periodic_report_save",
    "periodic_report_start_review", "periodic_report_submit", "periodic_report_unlock", "periodic_report_withdraw",
    "plan_create", "plan_entry_remove", "plan_entry_update", "plan_schools_add", "plan_update", "recommendation_add",
    "recommendation_adopt", "recommendation_delete", "reminder_payload", "reminder_send", "reminders_due", "reminders_run",
    "reporting_deadline_add", "reporting_deadline_remove", "reporting_deadline_update", "reporting_deadlines_ensure", "round_create", "round_registration_remove",
    "round_schools_register", "round_update",
]
