"""The waiting lane of `make test` (kiemdinh/tests/lanes.py): which process gets which file."""

from __future__ import annotations

from types import SimpleNamespace

from kiemdinh.tests.lanes import WaitingLaneScheduling

WAIT = "app/tests/test_typing_e2e.py"
FILES = ["app/tests/test_a.py", WAIT, "app/tests/test_b.py", "app/tests/test_c.py", "app/tests/test_d.py"]


class Node:
    """A stand-in for xdist's WorkerController: records what it is sent."""

    def __init__(self, number: int):
        self.gateway = SimpleNamespace(id=f"gw{number}")
        self.shutting_down = False
        self.sent: list[int] = []

    def send_runtest_some(self, indices):
        self.sent.extend(indices)

    def shutdown(self):
        self.shutting_down = True


def _collection(files):
    return [f"{path}::test_{n}" for path in files for n in (1, 2, 3)]


def _scheduler(processes: int, files=FILES):
    config = SimpleNamespace(getvalue=lambda name: [f"{processes}*popen"] if name == "tx" else None,
                             option=SimpleNamespace(loadscopereorder=False))
    scheduler = WaitingLaneScheduling(config, waiting_files={WAIT})
    nodes = [Node(n) for n in (2, 0, 1)[-processes:]]  # workers come up in any order
    collection = _collection(files)
    for node in nodes:
        scheduler.add_node(node)
        scheduler.add_node_collection(node, collection)
    scheduler.schedule()
    return scheduler, {node.gateway.id: node for node in nodes}, collection


def _files_of(node, collection):
    return {collection[index].split("::")[0] for index in node.sent}


def _run_everything(scheduler, nodes, collection):
    """Complete every test sent, as the workers would, until nothing is left."""
    done: set[tuple[str, int]] = set()
    while True:
        todo = [(node, index) for node in nodes.values() for index in node.sent if (node.gateway.id, index) not in done]
        if not todo:
            return
        node, index = todo[0]
        done.add((node.gateway.id, index))
        if node in scheduler.assigned_work:
            scheduler.mark_test_complete(node, index)


def test_with_three_processes_the_last_one_runs_only_the_waiting_files():
    scheduler, nodes, collection = _scheduler(3)
    _run_everything(scheduler, nodes, collection)
    assert _files_of(nodes["gw2"], collection) == {WAIT}
    assert WAIT not in _files_of(nodes["gw0"], collection) | _files_of(nodes["gw1"], collection)
    # Every test ran once, and every process was told to stop.
    assert sorted(index for node in nodes.values() for index in node.sent) == list(range(len(collection)))
    assert all(node.shutting_down for node in nodes.values())
    assert scheduler.tests_finished


def test_the_lane_stops_when_its_files_are_done_and_takes_no_other():
    scheduler, nodes, collection = _scheduler(3)
    lane = nodes["gw2"]
    for index in list(lane.sent):
        scheduler.mark_test_complete(lane, index)
    assert lane.shutting_down
    assert _files_of(lane, collection) == {WAIT}
    assert scheduler.workqueue  # the other files wait for the two other processes


def test_with_two_processes_there_is_no_lane():
    scheduler, nodes, collection = _scheduler(2)
    _run_everything(scheduler, nodes, collection)
    assert scheduler.lane is None
    ran = _files_of(nodes["gw0"], collection) | _files_of(nodes["gw1"], collection)
    assert ran == set(FILES)
    assert sorted(index for node in nodes.values() for index in node.sent) == list(range(len(collection)))


def test_without_a_waiting_file_the_lane_stops_at_once_and_the_others_share_the_rest():
    files = [f for f in FILES if f != WAIT]
    scheduler, nodes, collection = _scheduler(3, files)
    assert nodes["gw2"].sent == [] and nodes["gw2"].shutting_down
    _run_everything(scheduler, nodes, collection)
    assert _files_of(nodes["gw0"], collection) | _files_of(nodes["gw1"], collection) == set(files)
