"""What the commit would do, in tests whose own transaction never commits.

The services announce their changes for after the commit (events/topics.py); a test built on
pytest-django's `db` runs inside one transaction that is rolled back, so nothing is delivered
unless the block runs the after-commit callbacks it scheduled, as a real commit would.
"""

from django.test import TestCase


def committed():
    """`with committed(): service(...)` runs the service's after-commit work at the end of the block."""
    return TestCase.captureOnCommitCallbacks(execute=True)
