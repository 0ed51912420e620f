"""Nothing typed is lost (issue #13, findings 9 and 10), in a real browser against a real server on
the embedded default (a SQLite file, ``manage.py runserver`` as ``make run``; see autosave_server).

- three writers (the principal and the secretary of school A in different parts of the same
  report, the principal of school C) type for 60 s into texts, Phần I tables and improvement
  plans, moving between pages through the outline (the leave guard saves first); every character
  is in the database at the end and the server answered no 500;
- the server stops for 10 s while two writers keep typing: the editor says so, keeps the text on
  the computer and saves everything once the server is back;
- 500s are retried with growing delays, a reload brings back what was not saved, a stale table save
  shows the other person's numbers.

Screenshots of the editor's states go to test-artifacts/autosave/.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from conftest import CHROMIUM, services_required

from .autosave_server import Server, copy_db, login, prepare, wait_all_saved

pytestmark = [pytest.mark.e2e]

SHOTS = os.path.join(settings.BASE_DIR, "test-artifacts", "autosave")
TYPING_SECONDS = 60


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    if not os.path.exists(CHROMIUM):  # the browser fixture says the same; spare the migration first
        if services_required():
            pytest.fail(f"{CHROMIUM} is missing in CI (make test installs it)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    os.makedirs(SHOTS, exist_ok=True)
    return prepare(tmp_path_factory.mktemp("autosave-db"))


@pytest.fixture
def server(seeded, tmp_path):
    template, _ids = seeded
    instance = Server(copy_db(template, tmp_path / "kiemdinh.sqlite3"), tmp_path / "server.log")
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def ids(seeded):
    return seeded[1]


@pytest.fixture
def open_as(browser, server):
    contexts = []

    def open_page(username: str):
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        login(page, server, username)
        return page

    yield open_page
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def posts(server: Server) -> list[str]:
    return re.findall(r'"POST [^"]+" (\d{3})', server.log())


# --- A writer: types into the fields of two pages of a report, in turn ---------------------------------


@dataclass
class Writer:
    name: str
    page: object
    server: Server
    report: int
    criterion: int
    texts: list[int]  # passage ids on the criterion page
    table: str
    cells: list[str]  # input names in that table
    texts_typed: dict[int, str] = field(default_factory=dict)
    cells_typed: dict[str, int] = field(default_factory=dict)
    plan_typed: str = ""
    station: str = "criterion"
    steps_here: int = 0
    counter: int = 0

    def url(self, station: str) -> str:
        base = f"{self.server.url}/reports/{self.report}/"
        return base + (f"criteria/{self.criterion}/" if station == "criterion" else "data/")

    def open(self) -> None:
        self.page.goto(self.url(self.station))

    def move(self) -> None:
        """To the other page through the outline, as a user would (the leave guard saves first)."""
        target = "data" if self.station == "criterion" else "criterion"
        href = self.url(target).replace(self.server.url, "")
        self.page.locator(f"aside a[href='{href}']").first.click()
        self.page.wait_for_url(self.url(target), timeout=30000)
        self.page.wait_for_load_state("domcontentloaded")
        self.station, self.steps_here = target, 0

    def type_at_end(self, box, chunk: str) -> None:
        """Type after what the field holds (a field focused by script gets its caret at the start)."""
        box.evaluate("el => { el.focus(); el.setSelectionRange(el.value.length, el.value.length); }")
        self.page.keyboard.type(chunk, delay=8)

    def step(self, rng: random.Random) -> None:
        if self.steps_here >= 6:
            self.move()
        self.steps_here += 1
        self.counter += 1
        if self.station == "criterion":
            if rng.random() < 0.25:
                chunk = f" {self.name} biện pháp {self.counter}."
                self.type_at_end(self.page.locator("form.actions-form textarea[name='actions-0-action']"), chunk)
                self.plan_typed += chunk
            else:
                passage = rng.choice(self.texts)
                # Blanks at the end of a text are not kept (services.normalise_text): they lead the next chunk.
                chunk = f" {self.name} viết câu {self.counter} có dấu tiếng Việt."
                self.type_at_end(self.page.locator(f"#text-{passage}"), chunk)
                self.texts_typed[passage] = self.texts_typed.get(passage, "") + chunk
        else:
            cell = rng.choice(self.cells)
            value = rng.randint(0, 999)
            box = self.page.locator(f"#table-{self.table} input[name='{cell}']")
            box.fill("")
            box.press_sequentially(str(value), delay=8)
            self.cells_typed[cell] = value

    def assert_saved(self) -> None:
        for passage, typed in self.texts_typed.items():
            ((text,),) = self.server.query("SELECT text FROM selfassessment_passage WHERE id = ?", (passage,))
            assert text == typed.rstrip(), f"{self.name}: text {passage} lost characters"
        if self.plan_typed:
            actions = self.server.query(
                "SELECT action FROM selfassessment_improvementaction WHERE report_id = ? AND criterion_id = ?",
                (self.report, self.criterion))
            assert actions == [(self.plan_typed.strip(),)], f"{self.name}: improvement plan lost"
        if self.cells_typed:
            ((raw,),) = self.server.query(
                "SELECT \"values\" FROM selfassessment_datatable WHERE report_id = ? AND key = ?", (self.report, self.table))
            values = json.loads(raw)
            for cell, typed in self.cells_typed.items():
                _c, row, column = cell.split("__")
                assert values.get(row, {}).get(column) == typed, f"{self.name}: cell {cell} of {self.table} lost"


def _writers(open_as, server, ids) -> list[Writer]:
    years = ids["years"]
    a, c = ids["A"], ids["C"]

    def texts(report, number):
        return [pk for key, pk in report["texts"].items() if key.startswith(f"indicator:{number}:")
                or key in (f"criterion:{number}:strengths", f"criterion:{number}:weaknesses")]

    grades = [f"c__grade_{g}__{years[-1]}" for g in (6, 7, 8, 9)] + [f"c__grade_6__{years[-2]}"]
    writers = [
        Writer("HT-A", open_as("principal_a"), server, a["report"], a["criteria"]["1.1"], texts(a, "1.1"),
               "classes", grades),
        Writer("TK-A", open_as("staff_a"), server, a["report"], a["criteria"]["1.2"], texts(a, "1.2"),
               "pupils", [f"c__grade_{g}__{years[-1]}" for g in (6, 7, 8, 9)]),
        Writer("HT-C", open_as("principal_c"), server, c["report"], c["criteria"]["2.1"], texts(c, "2.1"),
               "classes", grades),
    ]
    for writer in writers:
        writer.open()
    return writers


def test_three_writers_typing_for_a_minute_lose_nothing(open_as, server, ids):
    writers = _writers(open_as, server, ids)
    rng = random.Random(13)
    started = time.monotonic()
    while time.monotonic() - started < TYPING_SECONDS:
        for writer in writers:
            writer.step(rng)
    shot(writers[0].page, "01-three-writers-typing")
    for writer in writers:
        wait_all_saved(writer.page)
        assert writer.page.js_errors == [], writer.page.js_errors
    shot(writers[0].page, "02-three-writers-saved")
    for writer in writers:
        writer.assert_saved()
    statuses = posts(server)
    assert statuses and set(statuses) <= {"200", "302"}, f"saves answered {sorted(set(statuses))}"
    assert "database is locked" not in server.log()
    print(f"{len(statuses)} saves, {sum(len(w.texts_typed) for w in writers)} texts, all kept")


def test_the_server_down_for_ten_seconds_loses_nothing(open_as, server, ids):
    writers = _writers(open_as, server, ids)[:2]  # both on school A's report
    rng = random.Random(10)

    def type_for(seconds: float) -> None:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            for writer in writers:
                writer.steps_here = 0  # stay on the page: it cannot be reloaded while the server is down
                writer.step(rng)

    type_for(5)
    server.stop()
    down = time.monotonic()
    type_for(10 - (time.monotonic() - down) - 0.5)
    state = writers[0].page.locator("[data-autosave-state]", has_text="Mất kết nối").first
    state.wait_for()
    assert "nội dung vẫn được giữ trên máy này" in state.inner_text()
    state.scroll_into_view_if_needed()
    shot(writers[0].page, "03-offline-retrying")
    # What is not saved yet is kept on this computer.
    kept = writers[0].page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('kiemdinh.autosave:')).length")
    assert kept >= 1
    while time.monotonic() - down < 10:
        time.sleep(0.2)
    server.start()
    type_for(3)
    for writer in writers:
        # The retry delay grows to a minute while the server is away, so the first save after it is
        # back may come that much later (more on a loaded machine).
        wait_all_saved(writer.page, timeout=180_000)
        assert writer.page.js_errors == [], writer.page.js_errors
    for writer in writers:
        writer.assert_saved()
        left = writer.page.evaluate(
            "() => Object.keys(localStorage).filter(k => k.startsWith('kiemdinh.autosave:')).length")
        assert left == 0, "saved drafts are cleared from the computer"


def test_server_errors_are_retried_with_growing_delays_until_saved(open_as, server, ids):
    a = ids["A"]
    page = open_as("principal_a")
    page.goto(f"{server.url}/reports/{a['report']}/criteria/{a['criteria']['1.1']}/")
    passage = a["texts"]["criterion:1.1:strengths"]
    answered = []

    def flaky(route):
        answered.append(time.monotonic())
        if len(answered) <= 2:
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route(f"**/texts/{passage}/save/", flaky)
    page.locator(f"#text-{passage}").fill("Điểm mạnh: đội ngũ ổn định.")
    state = page.locator(f"#p-{passage} [data-autosave-state]")
    state.filter(has_text="Máy chủ đang gặp lỗi (mã 500)").wait_for()
    assert "sẽ thử lại sau" in state.inner_text()
    state.scroll_into_view_if_needed()
    shot(page, "04-server-error-retrying")
    state.filter(has_text="Đã lưu lúc").wait_for(timeout=30000)
    state.scroll_into_view_if_needed()
    shot(page, "05-saved")
    assert len(answered) == 3
    assert answered[2] - answered[1] > answered[1] - answered[0] + 0.5  # the delay grows
    assert server.query("SELECT text FROM selfassessment_passage WHERE id = ?", (passage,)) == [
        ("Điểm mạnh: đội ngũ ổn định.",)]


def test_a_save_whose_answer_was_lost_is_not_taken_for_someone_elses(open_as, server, ids):
    """The server saved, then the connection broke before its answer came (a restart, a proxy): the
    retry sends more text on the old revision. That is the writer's own save, not a conflict."""
    a = ids["A"]
    page = open_as("principal_a")
    page.goto(f"{server.url}/reports/{a['report']}/criteria/{a['criteria']['1.1']}/")
    passage = a["texts"]["criterion:1.1:strengths"]
    answered = []

    def answer_lost(route):
        answered.append(route.request.post_data or "")
        if len(answered) == 1:
            route.fetch()  # the server gets it and saves ...
            route.abort("connectionreset")  # ... and the browser never hears back
        else:
            route.continue_()

    page.route(f"**/texts/{passage}/save/", answer_lost)
    box = page.locator(f"#text-{passage}")
    box.fill("Nhà trường có kế hoạch chiến lược")
    state = page.locator(f"#p-{passage} [data-autosave-state]")
    state.filter(has_text="Mất kết nối").wait_for()
    assert server.query("SELECT text FROM selfassessment_passage WHERE id = ?", (passage,)) == [
        ("Nhà trường có kế hoạch chiến lược",)]
    box.press("End")
    box.press_sequentially(" giai đoạn 2025-2030.", delay=5)
    state.filter(has_text="Đã lưu lúc").wait_for(timeout=30000)
    assert page.locator(f"#p-{passage} [data-autosave-conflict]").is_hidden()
    assert page.evaluate("() => window.kiemdinhAutosave.unsaved()") is False
    assert server.query("SELECT text FROM selfassessment_passage WHERE id = ?", (passage,)) == [
        ("Nhà trường có kế hoạch chiến lược giai đoạn 2025-2030.",)]
    assert len(answered) >= 2


def test_typing_while_a_retry_waits_does_not_cancel_it(open_as, server, ids):
    """The cause of a failed CI run: typing (or leaving the field) during the retry's wait cleared its
    timer, and the editor said "sẽ thử lại sau 1 giây" for ever."""
    a = ids["A"]
    page = open_as("principal_a")
    page.goto(f"{server.url}/reports/{a['report']}/criteria/{a['criteria']['1.1']}/")
    passage = a["texts"]["criterion:1.1:weaknesses"]
    page.route(f"**/texts/{passage}/save/", lambda route: route.abort("internetdisconnected"))
    box = page.locator(f"#text-{passage}")
    box.fill("Cơ sở vật chất")
    state = page.locator(f"#p-{passage} [data-autosave-state]")
    state.filter(has_text="Mất kết nối").wait_for()
    page.unroute(f"**/texts/{passage}/save/")
    box.press("End")
    box.press_sequentially(" còn thiếu phòng học bộ môn.", delay=5)
    box.press("Tab")  # leaving the field while the retry waits
    state.filter(has_text="Đã lưu lúc").wait_for(timeout=30000)
    assert server.query("SELECT text FROM selfassessment_passage WHERE id = ?", (passage,)) == [
        ("Cơ sở vật chất còn thiếu phòng học bộ môn.",)]


def test_a_reload_brings_back_what_was_not_saved(open_as, server, ids):
    a = ids["A"]
    page = open_as("principal_a")
    address = f"{server.url}/reports/{a['report']}/criteria/{a['criteria']['1.1']}/"
    page.goto(address)
    passage = a["texts"]["criterion:1.1:weaknesses"]
    page.route("**/save/", lambda route: route.abort("internetdisconnected"))
    page.locator(f"#text-{passage}").fill("Điểm yếu gõ lúc mất mạng.")
    page.locator(f"#p-{passage} [data-autosave-state]", has_text="Mất kết nối").wait_for()
    page.on("dialog", lambda dialog: dialog.accept())  # the leave guard asks before the reload
    page.goto(address)  # the save still cannot get through
    box = page.locator(f"#text-{passage}")
    assert box.input_value() == "Điểm yếu gõ lúc mất mạng."  # put back from this computer
    state = page.locator(f"#p-{passage} [data-autosave-state]")
    state.filter(has_text="Mất kết nối").wait_for()
    page.unroute("**/save/")
    state.filter(has_text="Đã lưu lúc").wait_for(timeout=30000)
    assert server.query("SELECT text FROM selfassessment_passage WHERE id = ?", (passage,)) == [
        ("Điểm yếu gõ lúc mất mạng.",)]


def test_a_stale_table_save_shows_the_other_persons_numbers(open_as, server, ids):
    a, years = ids["A"], ids["years"]
    mine, theirs = open_as("principal_a"), open_as("staff_a")
    for page in (mine, theirs):
        page.goto(f"{server.url}/reports/{a['report']}/data/")
    cell6, cell7 = f"c__grade_6__{years[-1]}", f"c__grade_7__{years[-1]}"
    theirs.locator(f"#table-classes input[name='{cell6}']").fill("31")
    theirs.locator("#table-classes [data-autosave-state]", has_text="Đã lưu lúc").wait_for()
    mine.locator(f"#table-classes input[name='{cell7}']").fill("28")
    conflict = mine.locator("#table-classes [data-autosave-conflict]")
    conflict.locator("table").wait_for()
    text = conflict.inner_text()
    assert "31" in text and "28" in text
    conflict.scroll_into_view_if_needed()
    shot(mine, "06-conflict")
    conflict.get_by_role("button", name="Dùng bản đang lưu").click()
    assert mine.locator(f"#table-classes input[name='{cell6}']").input_value() == "31"
    mine.locator(f"#table-classes input[name='{cell7}']").fill("28")
    mine.locator("#table-classes [data-autosave-state]", has_text="Đã lưu lúc").wait_for()
    ((raw,),) = server.query("SELECT \"values\" FROM selfassessment_datatable WHERE report_id = ? AND key = 'classes'",
                             (a["report"],))
    assert json.loads(raw)["grade_6"][years[-1]] == 31 and json.loads(raw)["grade_7"][years[-1]] == 28


def test_leaving_with_unsaved_numbers_saves_them_first_or_warns(open_as, server, ids):
    """Finding 9 replayed: typing in a Phần I table, then clicking another section of the report."""
    a, years = ids["A"], ids["years"]
    page = open_as("principal_a")
    page.goto(f"{server.url}/reports/{a['report']}/data/")
    cell = page.locator(f"#table-classes input[name='c__grade_8__{years[-1]}']")
    general = page.locator(f"aside a[href='/reports/{a['report']}/general/']")
    # Saving works: the click saves first, then goes.
    cell.fill("12")
    general.click()
    page.wait_for_url(f"{server.url}/reports/{a['report']}/general/")
    ((raw,),) = server.query("SELECT \"values\" FROM selfassessment_datatable WHERE report_id = ? AND key = 'classes'",
                             (a["report"],))
    assert json.loads(raw)["grade_8"][years[-1]] == 12
    # Saving fails: the page stays and says the numbers are kept on this computer.
    page.go_back()
    page.route("**/data/classes/", lambda route: route.abort("internetdisconnected"))
    cell = page.locator(f"#table-classes input[name='c__grade_8__{years[-1]}']")
    cell.fill("13")
    page.locator(f"aside a[href='/reports/{a['report']}/general/']").click()
    banner = page.locator(".autosave-leave", has_text="Còn thay đổi chưa lưu được")
    banner.wait_for(timeout=30000)
    shot(page, "07-leave-guard")
    assert page.url.endswith("/data/")
    banner.get_by_role("button", name="Ở lại trang").click()
    assert cell.input_value() == "13"
    page.unroute("**/data/classes/")
    try:
        page.locator("#table-classes [data-autosave-state]", has_text="Đã lưu lúc").wait_for(timeout=60000)
    finally:
        page.locator("#table-classes").scroll_into_view_if_needed()
        shot(page, "08-after-leave-guard")
    ((raw,),) = server.query("SELECT \"values\" FROM selfassessment_datatable WHERE report_id = ? AND key = 'classes'",
                             (a["report"],))
    assert json.loads(raw)["grade_8"][years[-1]] == 13
