"""Fixtures for the tests of the site's wiring."""

import pytest

from tests.celery_probe import clean_probe, make_probe


@pytest.fixture
def probe(tmp_path):
    """A queue and a redbeat key prefix of this test's own, with settings and tasks that use them."""
    made = make_probe(tmp_path)
    yield made
    clean_probe(made)
