"""The embedded SQLite default under concurrent saves (issue #13, finding 10).

Three principals saving at once got "database is locked" 500s: a transaction that has read and
then wants to write cannot wait for the lock (SQLite refuses at once to avoid a deadlock), so
the busy timeout never helped. The settings make every transaction take the write lock when it
begins; these tests replay the interleaving on a file database with the project's own options.
"""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connections, transaction

from kiemdinh.env import env_database

ALIAS = "sqlite_concurrency"


@pytest.fixture
def file_db(tmp_path, django_db_blocker):
    """A connection alias on a SQLite file configured as DATABASE_URL=sqlite:///… would be."""

    def configure(**overrides):
        config = env_database("DATABASE_URL", f"sqlite:///{tmp_path / 'kd.sqlite3'}", {})
        config["OPTIONS"].update(overrides)
        connections.settings[ALIAS] = connections.configure_settings({"default": {}, ALIAS: config})[ALIAS]
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n integer)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        return ALIAS

    with django_db_blocker.unblock():
        yield configure
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


def _read_then_write(first_read: threading.Event, other_done: threading.Event, errors: list) -> None:
    """A save as the services do it: read the row, then write it, in one transaction."""
    try:
        with transaction.atomic(using=ALIAS):
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                first_read.set()
                # Let the other save run now if it can (it cannot while this one holds the lock).
                other_done.wait(timeout=1)
                cursor.execute("UPDATE counter SET n = n + 1")
    except OperationalError as exc:
        errors.append(str(exc))
    finally:
        first_read.set()
        connections[ALIAS].close()


def _write(first_read: threading.Event, done: threading.Event, errors: list) -> None:
    first_read.wait(timeout=5)
    try:
        with transaction.atomic(using=ALIAS):
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                cursor.execute("UPDATE counter SET n = n + 1")
    except OperationalError as exc:
        errors.append(str(exc))
    finally:
        done.set()
        connections[ALIAS].close()


def _race(alias: str) -> tuple[list[str], int]:
    first_read, done, errors = threading.Event(), threading.Event(), []
    threads = [threading.Thread(target=_read_then_write, args=(first_read, done, errors)),
               threading.Thread(target=_write, args=(first_read, done, errors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        return errors, cursor.fetchone()[0]


def test_two_saves_at_once_both_land_with_the_project_settings(file_db):
    alias = file_db()
    with connections[alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    errors, count = _race(alias)
    assert errors == []
    assert count == 2


def test_without_immediate_transactions_the_second_save_fails_at_once(file_db):
    """The failure the settings prevent, replayed: a deferred transaction that read first."""
    alias = file_db(transaction_mode=None)
    errors, count = _race(alias)
    assert errors and "database is locked" in errors[0]
    assert count == 1
