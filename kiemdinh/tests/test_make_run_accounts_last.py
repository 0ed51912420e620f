"""Issue 18 item 6: a fresh `make run` prints the demo accounts as its last lines before serving.

The real target runs (install stamp, migrate, catalogs, demo seed, the accounts, the scheduler and the
dev server) against a fresh database in a temporary directory, its e-mails in a temporary folder; the
output is read until the dev server says it is serving, then the server is stopped. Between the
accounts table and the server's own lines only the blank lines and the "starting on" line of the
Makefile may come, and no e-mail reaches the console. Slow (a whole demo seed).
"""

from __future__ import annotations

import os
import pathlib
import selectors
import shutil
import signal
import socket
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(shutil.which("make") is None or not (ROOT / ".venv" / ".installed-stamp").exists(),
                    reason="needs make and the installed .venv")
def test_make_run_prints_the_accounts_last_before_serving(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "CELERY"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}", EMAIL_FILE_PATH=str(tmp_path / "mail"),
               MEDIA_ROOT=str(tmp_path / "media"), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([shutil.which("make"), "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    lines: list[str] = []
    watch = selectors.DefaultSelector()
    try:
        watch.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 1500
        # Read what the pipe holds with os.read: a buffered readline() would keep lines that came
        # together in Python's buffer, where select() does not see them, and wait for output that
        # never comes (the server is quiet once it serves).
        fd, pending = process.stdout.fileno(), b""
        while time.monotonic() < deadline:
            if not watch.select(timeout=5):
                if process.poll() is not None:
                    break
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            *complete, pending = (pending + chunk).split(b"\n")
            new = [line.decode("utf-8", "replace").rstrip("\r") for line in complete]
            lines.extend(new)
            if any("Quit the server with" in line for line in new):
                break
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
        # Close the pipe here: left to the garbage collector, its ResourceWarning would fail
        # whichever test runs next (warnings are errors in this suite).
        watch.close()
        process.stdout.close()
    output = "\n".join(lines)
    assert any("Quit the server with" in line for line in lines), output[-3000:]
    header = max(i for i, line in enumerate(lines) if line.startswith("Demo data ready. Accounts"))
    # The server's own lines (runserver's banner and its checks) come after the Makefile's last echo.
    starting = next(i for i, line in enumerate(lines) if f"kiemdinh is starting on http://127.0.0.1:{port}/" in line)
    table = lines[header + 1:starting]
    accounts = [line for line in table if line.strip()]
    assert accounts[-1].strip().startswith("(every school has a principal account")
    for name in ("cv.dongda1", "tp.dongda", "tp.longbien", "tp.cuanam", "cv.so", "admin", "dda-thcs-01"):
        assert any(line.split()[0] == name for line in accounts if line.split()), name
    assert all(line.startswith("  ") for line in accounts), table  # nothing but the table's rows
    after = lines[starting + 1:]
    assert not any("Demo data ready" in line or "Subject:" in line for line in after)
    assert all(not line.strip() or not line.startswith("  ") for line in after[:3])
    # Nothing of an e-mail on the console, from the seed or after; the seed's e-mails are files.
    assert "Content-Transfer-Encoding" not in output and "Subject:" not in output
    assert any((tmp_path / "mail").iterdir())
    assert lines.index(next(line for line in lines if "E-mails of the demo are written to var/mail/" in line)) < header
