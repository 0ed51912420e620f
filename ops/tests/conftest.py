"""The export tests' small world (a written report of school A, its submitted version, a round),
reused by the backup drill and the move command."""

from exports.tests.conftest import accepted_a, catalog, report_a, round_a, version_a  # noqa: F401
