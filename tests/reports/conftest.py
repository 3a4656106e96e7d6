import pytest


@pytest.fixture
def backend() -> str:
    """Reports are drawn on SQLite only: they render what the services read, and the services'
    tests run on SQLite and PostgreSQL alike (it keeps the suite within its 10 minutes)."""
    return "sqlite"
