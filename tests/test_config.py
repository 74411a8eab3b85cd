"""Settings: a secret key is required everywhere but in development and testing."""

import pytest

from inventory import create_app


@pytest.mark.parametrize("env", ["production", "staging", "prod"])
def test_outside_development_a_secret_key_is_required(env):
    with pytest.raises(RuntimeError, match="INVENTORY_SECRET_KEY must be set"):
        create_app({"ENV": env, "DATABASE_URL": "sqlite://"})
    assert create_app({"ENV": env, "SECRET_KEY": "k" * 40, "DATABASE_URL": "sqlite://"}).secret_key == "k" * 40


def test_development_makes_up_a_key_once_and_keeps_it():
    first = create_app({"ENV": "development", "DATABASE_URL": "sqlite://"}).secret_key
    assert first and create_app({"ENV": "development", "DATABASE_URL": "sqlite://"}).secret_key == first
