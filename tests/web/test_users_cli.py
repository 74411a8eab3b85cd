"""`flask users create` and `users ensure-admin`: passwords shown once, stored hashed, good for signing in."""

from inventory.extensions import db
from inventory.models import User
from tests.web.conftest import WebClient


def test_users_create_prints_a_generated_password_that_signs_in(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--username", "Jane.IT", "--role", "it"])
    assert result.exit_code == 0, result.output
    password = result.stdout.strip().splitlines()[-1]
    assert len(password) >= 12
    db.session.rollback()
    user = db.session.query(User).one()
    assert user.username == "jane.it" and user.role == "it" and password not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    web = WebClient(app.test_client())
    assert web.sign_in("jane.it", password).status_code == 302
    again = runner.invoke(args=["users", "create", "--username", "jane.it", "--role", "hr", "--password", "x" * 12])
    assert again.exit_code == 1 and "already a user" in again.output
    short = runner.invoke(args=["users", "create", "--username", "bob", "--role", "hr", "--password", "short"])
    assert short.exit_code == 1 and "At least 10 characters" in short.output
    given = runner.invoke(args=["users", "create", "--username", "bob", "--role", "hr", "--password", "long-enough-1"])
    assert given.exit_code == 0 and "long-enough-1" not in given.output


def test_ensure_admin_makes_one_first_admin_only(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["users", "ensure-admin", "--url", "http://127.0.0.1:8000/"])
    assert first.exit_code == 0 and "Sign in at http://127.0.0.1:8000/ as 'admin' with password: " in first.output
    password = first.output.strip().rsplit(" ", 1)[-1]
    assert WebClient(app.test_client()).sign_in("admin", password).status_code == 302
    second = runner.invoke(args=["users", "ensure-admin"])
    assert second.exit_code == 0 and "password" not in second.output
    db.session.rollback()
    assert db.session.query(User).count() == 1
