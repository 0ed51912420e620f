"""The one workflow layer of kiemdinh: every state machine is a table of transitions declared here.

A ``Workflow`` names a model's status field and lists its ``Transition`` rows: the action, the
status it starts from and the one it leads to, the permission rule (``kiemdinh.permissions``) that
says who may make it, the audit verb, the label, optional guards (``guard(user, obj)`` returns the
reason a move is refused, or None) and an optional effect hook. Two questions have one answer each:

- ``actions_for(user, obj)`` lists every action of the table with ``allowed`` or the reason it is
  refused (wrong status, the rule's reason, a guard's reason): buttons and views read it, and
  nothing else compares statuses;
- ``apply(obj, action, by, **data)`` makes the move: in one transaction it locks the row, checks
  transition, rule and guards against the locked row (else raises a ``WorkflowError`` the view
  shows as a message), runs the effect, sets the status, saves, records the audit event
  (``<audit_prefix>.<verb>``) and queues the notifications for after the commit.

This module imports no app: the audit recorder is a hook (``set_audit_recorder``, by default the
callable named by the ``WORKFLOW_AUDIT_RECORDER`` setting), locking and saving are Django's ORM,
and each workflow brings its own hooks (effects, notifications, status labels).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kiemdinh.i18n import Text
from kiemdinh.permissions import check
from kiemdinh.states import State, States, declare_states, forget_states

# A guard answers "why may this move not be made now?" (a reason) or None when it may.
Guard = Callable[[Any, Any], "str | None"]
# A hook receives the ``Step`` being made.
Hook = Callable[["Step"], Any]

NOT_POSSIBLE = _("Không thể thực hiện “%(action)s” ở trạng thái “%(status)s”.")


class WorkflowError(Exception):
    """A refused move; ``message`` is for the user (translated), never a 500."""

    def __init__(self, message: Any):
        self.message = str(message)
        super().__init__(self.message)


class TransitionNotAllowed(WorkflowError):
    """The action cannot be made from the object's current status."""


class PermissionRefused(WorkflowError):
    """The transition's permission rule refuses the actor."""


class GuardRefused(WorkflowError):
    """A guard of the transition refuses (the submission gate, the head's approval, ...)."""


class UnknownAction(KeyError):
    """Code asked for an action the workflow does not have: a programming error."""


@dataclass(frozen=True)
class Transition:
    """One allowed move of a workflow."""

    action: str
    source: str
    target: str
    # The permission rule deciding who may make it (``kiemdinh.permissions``).
    rule: str
    # Audit verb: the event is "<audit_prefix>.<verb>".
    verb: str
    # What the button says (marked with gettext_noop; translated when shown).
    label: str
    guards: tuple[Guard, ...] = ()
    # Runs under the lock after the checks, before the status changes (may fill step.summary,
    # step.audit_data, step.result, step.update_fields, and add step.notifications).
    effect: Hook | None = None
    # Runs after the status is saved and the event recorded (step.event is set).
    after: Hook | None = None
    # Runs after the commit, like the workflow's ``notify``.
    notify: Hook | None = None
    # The audit prefix of this move when it is not the workflow's (e.g. an unlock request made on a report).
    audit_prefix: str = ""
    # Anything else the owning app wants to say about the move (e.g. "freezes a version").
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Step:
    """One move in progress, handed to the hooks."""

    workflow: Workflow
    obj: Any
    transition: Transition
    by: Any
    source: str
    data: dict[str, Any]
    summary: Any = ""
    audit_data: dict[str, Any] = field(default_factory=dict)
    update_fields: list[str] = field(default_factory=list)
    # Callables queued with transaction.on_commit after the move.
    notifications: list[Callable[[], Any]] = field(default_factory=list)
    # Set to True by an effect that recorded its own event and made no status change.
    skip_audit: bool = False
    event: Any = None
    result: Any = None

    @property
    def target(self) -> str:
        return self.transition.target


@dataclass(frozen=True)
class ActionState:
    """One action of an object's workflow as a given user sees it now."""

    action: str
    label: str
    allowed: bool
    reason: str = ""
    # The transition the action would make from the current status (None when none).
    transition: Transition | None = None
    # What refused it: "status" (not from here), "rule" (not this person), "guard" (not now); "" when allowed.
    refused_by: str = ""

    def __bool__(self) -> bool:
        return self.allowed


class Actions(list[ActionState]):
    """``actions_for``'s answer: a list of ActionState, also indexed by action name
    (``acts["submit"]``, in templates ``acts.submit.allowed``)."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            for state in self:
                if state.action == key:
                    return state
            raise KeyError(key)
        return super().__getitem__(key)

    def __getattr__(self, name: str) -> ActionState:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return cast(ActionState, self[name])
        except KeyError:
            raise AttributeError(name) from None

    @property
    def allowed(self) -> list[ActionState]:
        return [state for state in self if state.allowed]


def _default_status_label(obj: Any, field_name: str) -> str:
    display = getattr(obj, f"get_{field_name}_display", None)
    return str(display()) if callable(display) else str(getattr(obj, field_name))


class Workflow:
    """A state machine of one model: its status field and its table of transitions."""

    def __init__(
        self,
        name: str,
        model_label: str,
        field: str = "status",
        transitions: Iterable[Transition] = (),
        audit_prefix: str | Callable[[Any], str] = "",
        notify: Hook | None = None,
        *,
        action_labels: Mapping[str, str] | None = None,
        refused_message: Any = NOT_POSSIBLE,
        refused_messages: Mapping[str, Any] | None = None,
        rule_object: Callable[[Any], Any] | None = None,
        record_states: bool = True,
        status_label: Callable[[Any], str] | None = None,
        lock: Callable[[Any], Any] | None = None,
        audit_target: Callable[[Any], Any] | None = None,
        audit_school: Callable[[Any], Any] | None = None,
        after: Hook | None = None,
        record: Callable[..., Any] | None = None,
        tones: Mapping[str, str] | None = None,
        icons: Mapping[str, str] | None = None,
    ):
        self.name = name
        self.model_label = model_label
        self.field = field
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.audit_prefix = audit_prefix or name
        self.notify = notify
        # The refusal when an action cannot be made from the current status (per action, or one for all).
        self.refused_message = refused_message
        self.refused_messages = dict(refused_messages or {})
        # What the permission rules are asked about (e.g. a comment thread's rules about the thread,
        # an unlock request's about its report); the object itself by default.
        self._rule_object = rule_object
        # Whether the audit event carries the from/to statuses (a thread's event is about its report).
        self.record_states = record_states
        self._status_label = status_label
        self._lock = lock
        self._audit_target = audit_target
        self._audit_school = audit_school
        self.after = after
        self._record = record
        self._by_key: dict[tuple[str, str], Transition] = {}
        actions: list[str] = []
        for t in self.transitions:
            if (t.action, t.source) in self._by_key:
                raise ValueError(f"{name}: two transitions for {t.action!r} from {t.source!r}")
            self._by_key[(t.action, t.source)] = t
            if t.action not in actions:
                actions.append(t.action)
        self.actions: tuple[str, ...] = tuple(actions)
        labels = dict(action_labels or {})
        for t in self.transitions:
            labels.setdefault(t.action, t.label)
        self.action_labels = labels
        # How pages show each status (``kiemdinh.states``): a tone per status, an icon where wanted.
        self.states: States | None = (
            States(model_label, field, tones=tones, icons=icons, label=status_label)
            if tones is not None else None
        )

    def __repr__(self) -> str:
        return f"<Workflow {self.name} of {self.model_label}>"

    def attach(self, action: str, *, effect: Hook | None = None, after: Hook | None = None,
               notify: Hook | None = None) -> None:
        """Give every transition of ``action`` its hooks, where the code they run lives (the app's
        services): the table stays the one declaration, free of the services it would import."""
        if action not in self.actions:
            raise UnknownAction(f"{self.name}: no action {action!r}")
        hooks = {key: value for key, value in (("effect", effect), ("after", after), ("notify", notify)) if value}
        for t in self.transitions:
            if t.action == action:
                if any(getattr(t, key) is not None for key in hooks):
                    raise ValueError(f"{self.name}: {action!r} already has its hooks")
                # Set once, at import, on the table's own rows (what other modules hold stays the same row).
                for key, value in hooks.items():
                    object.__setattr__(t, key, value)

    # --- the table ---------------------------------------------------------------------------

    @property
    def statuses(self) -> frozenset[str]:
        return frozenset({t.source for t in self.transitions} | {t.target for t in self.transitions})

    def transition(self, action: str, source: str) -> Transition | None:
        """The transition ``action`` makes from ``source``, or None when it cannot be made there."""
        if action not in self.actions:
            raise UnknownAction(f"{self.name}: no action {action!r}")
        return self._by_key.get((action, source))

    def transitions_from(self, source: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == source]

    def status_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def status_label(self, obj: Any) -> str:
        if self._status_label is not None:
            return self._status_label(obj)
        return _default_status_label(obj, self.field)

    def state(self, obj: Any) -> State:
        """``obj``'s status as pages show it (label, tone, icon, ``is_<status>``)."""
        if self.states is None:
            raise LookupError(f"{self.name}: no tones declared")
        return self.states.of(obj)

    def label_of(self, action: str) -> str:
        return gettext(self.action_labels[action])

    # --- deciding ------------------------------------------------------------------------------

    def refusal(self, user: Any, obj: Any, action: str) -> tuple[str, Transition | None, type[WorkflowError] | None]:
        """``("", transition, None)`` when ``user`` may make ``action`` now, else the reason and the error class."""
        transition = self.transition(action, self.status_of(obj))
        if transition is None:
            message = self.refused_messages.get(action, self.refused_message)
            if callable(message):
                message = message(obj)
            reason = message % {"action": self.label_of(action), "status": self.status_label(obj)}
            return str(reason), None, TransitionNotAllowed
        subject = self._rule_object(obj) if self._rule_object is not None else obj
        decision = check(user, transition.rule, subject)
        if not decision.allowed:
            return decision.reason, transition, PermissionRefused
        for guard in transition.guards:
            reason = guard(user, obj)
            if reason:
                return str(reason), transition, GuardRefused
        return "", transition, None

    def action_state(self, user: Any, obj: Any, action: str) -> ActionState:
        reason, transition, error = self.refusal(user, obj, action)
        label = gettext(transition.label) if transition is not None else self.label_of(action)
        return ActionState(action=action, label=label, allowed=error is None, reason=reason, transition=transition,
                           refused_by=_REFUSED_BY.get(error, ""))

    def actions_for(self, user: Any, obj: Any) -> Actions:
        return Actions(self.action_state(user, obj, action) for action in self.actions)

    # --- moving --------------------------------------------------------------------------------

    def lock(self, obj: Any) -> Any:
        """The object re-read under a row lock, keeping the relations the caller already loaded."""
        if self._lock is not None:
            return self._lock(obj)
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        # Lock the row alone (PostgreSQL refuses FOR UPDATE on the nullable side of an outer join),
        # then reattach what the caller loaded when it is still the same row.
        for name, value in obj._state.fields_cache.items():
            related = obj._meta.get_field(name)
            attname = getattr(related, "attname", None)
            if attname and getattr(locked, attname, None) == getattr(obj, attname, None):
                setattr(locked, name, value)
        return locked

    def check(self, user: Any, obj: Any, action: str) -> Transition:
        """The transition ``user`` may make now, or raise the WorkflowError saying why not."""
        reason, transition, error = self.refusal(user, obj, action)
        if error is not None:
            raise error(reason)
        if transition is None:  # transition is None
            raise RuntimeError('broken invariant: transition is None')
        return transition

    def apply(self, obj: Any, action: str, by: Any, **data: Any) -> Any:
        with transaction.atomic():
            return self._apply(obj, action, by, data)

    def _apply(self, obj: Any, action: str, by: Any, data: dict[str, Any]) -> Any:
        locked = self.lock(obj)
        transition = self.check(by, locked, action)
        step = Step(workflow=self, obj=locked, transition=transition, by=by, source=self.status_of(locked), data=data)
        if transition.effect is not None:
            transition.effect(step)
        if transition.target != step.source or step.update_fields:
            # A move that keeps the status (a recommendation, a reply) saves only what its effect changed.
            setattr(locked, self.field, transition.target)
            fields = [self.field, *step.update_fields, *_auto_now_fields(locked)]
            locked.save(update_fields=list(dict.fromkeys(fields)))
        if not step.skip_audit:
            step.event = self._record_event(step)
        if self.after is not None:
            self.after(step)
        if transition.after is not None:
            transition.after(step)
        hooks = [h for h in (transition.notify, self.notify) if h is not None]
        for hook in hooks:
            transaction.on_commit(functools.partial(hook, step))
        for callback in step.notifications:
            transaction.on_commit(callback)
        # The caller's object follows the move (its relations stay as loaded); an effect may have
        # made a nested move (a comment that starts the review), so the locked row says where it is.
        if obj is not locked:
            setattr(obj, self.field, getattr(locked, self.field))
        locked._workflow_step = step
        return locked

    def _record_event(self, step: Step) -> Any:
        record = self._record or audit_recorder()
        obj = step.obj
        moved = step.source != step.transition.target
        target = self._audit_target(obj) if self._audit_target else obj
        school = self._audit_school(obj) if self._audit_school else getattr(target, "school", None)
        prefix = step.transition.audit_prefix or self.audit_prefix
        if callable(prefix):  # an audit prefix that depends on the object (an export job's kind)
            prefix = prefix(obj)
        return record(
            actor=step.by,
            action=f"{prefix}.{step.transition.verb}",
            target=target,
            school=school,
            # A move that keeps the status records none (the event is what happened, not a status change).
            from_state=step.source if self.record_states and moved else "",
            to_state=step.transition.target if self.record_states and moved else "",
            summary=step.summary or Text(step.transition.label),
            data=step.audit_data,
        )


_REFUSED_BY: dict[Any, str] = {TransitionNotAllowed: "status", PermissionRefused: "rule", GuardRefused: "guard"}


def _auto_now_fields(obj: Any) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]


# --- the audit hook ----------------------------------------------------------------------------

_recorder: Callable[..., Any] | None = None


def set_audit_recorder(func: Callable[..., Any] | None) -> None:
    """Record events with ``func(actor=, action=, target=, school=, from_state=, to_state=, summary=, data=)``."""
    global _recorder
    _recorder = func


def audit_recorder() -> Callable[..., Any]:
    global _recorder
    if _recorder is None:
        _recorder = import_string(getattr(settings, "WORKFLOW_AUDIT_RECORDER", "audit.services.event_record"))
    return _recorder


# --- the registry --------------------------------------------------------------------------------

_WORKFLOWS: dict[str, Workflow] = {}
_BY_MODEL: dict[str, list[Workflow]] = {}


def register(workflow: Workflow) -> Workflow:
    """Register ``workflow`` under its name; names are unique. Returns it."""
    existing = _WORKFLOWS.get(workflow.name)
    if existing is not None and existing is not workflow:
        raise ValueError(f"Workflow {workflow.name!r} is registered twice.")
    if existing is None:
        _WORKFLOWS[workflow.name] = workflow
        _BY_MODEL.setdefault(workflow.model_label, []).append(workflow)
        if workflow.states is not None:
            declare_states(workflow.states)
    return workflow


def unregister(name: str) -> None:
    """Forget a workflow (tests that register their own)."""
    workflow = _WORKFLOWS.pop(name, None)
    if workflow is not None:
        _BY_MODEL[workflow.model_label].remove(workflow)
        if workflow.states is not None:
            forget_states(workflow.states)


def registered_workflows() -> list[Workflow]:
    return [_WORKFLOWS[name] for name in sorted(_WORKFLOWS)]


def get(name: str) -> Workflow:
    try:
        return _WORKFLOWS[name]
    except KeyError:
        raise KeyError(f"No workflow named {name!r}") from None


def workflow_for(obj: Any, name: str | None = None) -> Workflow:
    """The workflow of ``obj``'s model (``name`` picks one when a model has several)."""
    if name is not None:
        return get(name)
    label = obj._meta.label
    found = _BY_MODEL.get(label) or []
    if len(found) != 1:
        raise LookupError(f"{len(found)} workflows for {label}; name the one you mean")
    return found[0]


def actions_for(user: Any, obj: Any, name: str | None = None) -> Actions:
    """Every action of ``obj``'s workflow, allowed or with the reason it is refused to ``user``."""
    return workflow_for(obj, name).actions_for(user, obj)


def action_state(user: Any, obj: Any, action: str, name: str | None = None) -> ActionState:
    return workflow_for(obj, name).action_state(user, obj, action)


def apply(obj: Any, action: str, by: Any, *, workflow: str | None = None, **data: Any) -> Any:
    """Make ``action`` on ``obj`` as ``by``: lock, check, effect, status, save, audit, notify on commit."""
    return workflow_for(obj, workflow).apply(obj, action, by, **data)


def last_step(obj: Any) -> Step | None:
    """The step ``apply`` just made on ``obj`` (its event, its result), for the calling service."""
    return getattr(obj, "_workflow_step", None)
