"""A waiting lane for `make test`: a third pytest-xdist process that runs only the test files which
spend most of their time waiting (a browser typing for a minute, a server kept down for ten seconds),
while the other processes share the rest, file by file, as ``--dist loadfile`` does.

The suite is bound by the CPU on two cores: a third process that competes for it gains nothing
(measured: ``-n 3`` was 11% slower than ``-n 2``). A file that waits, though, keeps a core idle for
as long as it waits when it holds one of the two processes. In the lane it waits beside them.

Used with ``-n 3 --dist loadfile --waiting-lane`` (the Makefile's default): the process with the
highest number is the lane. It takes the files of ``WAITING_FILES`` and nothing else, and stops when
they are done; the others never take them. With fewer than three processes there is no lane and
every file goes to whichever process is free.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

# The files that mostly wait, measured in CI (wall time against the CPU time of the test, its
# browser and its servers): the autosave file runs ~150 s for ~55 s of CPU (issue 13 sets its minute
# of typing and its ten seconds of outage).
WAITING_FILES = frozenset({
    "selfassessment/tests/test_autosave_e2e.py",
})


def _number(node) -> int:
    return int(node.gateway.id.removeprefix("gw"))


class WaitingLaneScheduling(LoadFileScheduling):
    """``LoadFileScheduling`` with the last process kept for ``WAITING_FILES``."""

    def __init__(self, config, log=None, waiting_files=WAITING_FILES):
        super().__init__(config, log)
        self.waiting_files = frozenset(waiting_files)
        self.lane = None

    def schedule(self) -> None:
        if self.collection is None and len(self.nodes) >= 3:
            self.lane = max(self.nodes, key=_number)
        super().schedule()

    def _fits(self, node, scope: str) -> bool:
        if self.lane is None or self.lane not in self.assigned_work:
            return True  # no lane (fewer processes), or it stopped: any process takes any file
        return (scope in self.waiting_files) == (node is self.lane)

    def _reschedule(self, node) -> None:
        if node.shutting_down:
            return
        if not any(self._fits(node, scope) for scope in self.workqueue):
            node.shutdown()  # nothing left for this process: it finishes what it holds, then stops
            return
        if self._pending_of(self.assigned_work[node]) > 2:
            return
        self._assign_work_unit(node)

    def _assign_work_unit(self, node) -> None:
        scope = next((scope for scope in self.workqueue if self._fits(node, scope)), None)
        if scope is None:
            return
        work_unit = self.workqueue.pop(scope)
        self.assigned_work.setdefault(node, {})[scope] = work_unit
        collection = self.registered_collections[node]
        node.send_runtest_some([collection.index(nodeid) for nodeid, done in work_unit.items() if not done])
