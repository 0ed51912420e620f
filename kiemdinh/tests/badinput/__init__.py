"""Support of the bad-input property tests (``kiemdinh/tests/test_bad_input.py``).

``strategies`` makes hostile values, ``files`` hostile uploads, ``checks`` reads a response (the
error messages a person sees, whether they are Vietnamese) and snapshots rows, ``world`` builds the
shared test data once per module.
"""
