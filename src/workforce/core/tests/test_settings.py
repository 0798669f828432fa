"""Settings come from the environment with strict parsers; production refuses to start without real
secrets and passes Django's deployment checks when it has them (STYLE.md "Settings")."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from workforce.settings import envbool, envint, envlist

PROJECT_DIR = Path(__file__).resolve().parents[4]
# Only these pass from the test run to the subprocess: other tests set variables (e.g. the browser tests'
# DJANGO_ALLOW_ASYNC_UNSAFE) that a deployment must not have.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def run(args: list[str], tmp_path: Path, **environment: str) -> subprocess.CompletedProcess:
    """Run Python in a clean environment holding only ``environment`` besides the basics."""
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env |= {"PYTHONPATH": "src", "DJANGO_SETTINGS_MODULE": "workforce.settings", "WORKFORCE_VAR_DIR": str(tmp_path),
            "STATIC_ROOT": str(tmp_path / "static"), **environment}
    return subprocess.run([sys.executable, *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=False)


def production_secrets() -> dict[str, str]:
    return {
        "WORKFORCE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "LOOKUP_HASH_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "workforce.panzhihua.gov.cn",
    }


def test_production_without_secrets_refuses_to_start(tmp_path):
    result = run(["-c", "import django; django.setup()"], tmp_path, WORKFORCE_ENV="production")

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: Production needs real secrets; set: "
        "SECRET_KEY (at least 50 characters), FIELD_ENCRYPTION_KEYS, LOOKUP_HASH_KEY (at least 32 characters), "
        "ALLOWED_HOSTS")


def test_production_refuses_the_development_encryption_key(tmp_path):
    environment = production_secrets() | {"FIELD_ENCRYPTION_KEYS": "dGhpcy1pcy1hLWRldmVsb3BtZW50LWtleS0zMmJ5dGU="}

    result = run(["-c", "import django; django.setup()"], tmp_path, **environment)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].endswith("Production needs real secrets; set: FIELD_ENCRYPTION_KEYS")


def test_production_with_real_secrets_passes_the_deployment_checks(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **production_secrets())

    assert (result.returncode, result.stdout.strip()) == (0, "System check identified no issues (0 silenced).")


def test_secrets_can_come_from_files(tmp_path):
    environment = production_secrets()
    key_file = tmp_path / "secret_key"
    key_file.write_text(environment.pop("SECRET_KEY") + "\n", encoding="utf-8")

    result = run(["-c", "import django; django.setup(); from django.conf import settings; "
                        "print(len(settings.SECRET_KEY), settings.DEBUG)"],
                 tmp_path, SECRET_KEY_FILE=str(key_file), **environment)

    assert (result.returncode, result.stdout.strip()) == (0, f"{len(key_file.read_text().strip())} False")


def test_an_unknown_environment_name_is_refused(tmp_path):
    result = run(["-c", "import django; django.setup()"], tmp_path, WORKFORCE_ENV="prod")

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: WORKFORCE_ENV must be 'development' or 'production', not 'prod'")


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("false", False), ("TRUE", True), (" False ", False)])
def test_envbool_accepts_true_and_false(monkeypatch, raw, value):
    monkeypatch.setenv("WORKFORCE_TEST_FLAG", raw)

    assert envbool("WORKFORCE_TEST_FLAG", "false") is value


@pytest.mark.parametrize("raw", ["yes", "1", "on", ""])
def test_envbool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("WORKFORCE_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured) as refused:
        envbool("WORKFORCE_TEST_FLAG", "false")

    assert str(refused.value) == f"WORKFORCE_TEST_FLAG must be 'true' or 'false', not {raw!r}"


def test_envbool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("WORKFORCE_TEST_FLAG", raising=False)

    assert envbool("WORKFORCE_TEST_FLAG", "true") is True


def test_envint_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("WORKFORCE_TEST_NUMBER", "15m")

    with pytest.raises(ImproperlyConfigured) as refused:
        envint("WORKFORCE_TEST_NUMBER", 15)

    assert str(refused.value) == "WORKFORCE_TEST_NUMBER must be an integer, not '15m'"


def test_envlist_drops_empty_items(monkeypatch):
    monkeypatch.setenv("WORKFORCE_TEST_LIST", " a.example, ,b.example,")

    assert envlist("WORKFORCE_TEST_LIST") == ["a.example", "b.example"]


# ------------------------------------------------------------------------------- field encryption keys

KEY_HINT_END = "print(Fernet.generate_key().decode())\"`)"


@pytest.mark.parametrize(("keys", "problem"), [
    ("YWFhYQ==", "FIELD_ENCRYPTION_KEYS key 1 of 1 holds 4 bytes, not 32"),
    ("notakey", "FIELD_ENCRYPTION_KEYS key 1 of 1 is not URL-safe base64"),
    (f"{Fernet.generate_key().decode()},notakey", "FIELD_ENCRYPTION_KEYS key 2 of 2 is not URL-safe base64"),
    (",", "FIELD_ENCRYPTION_KEYS is empty: give at least one key"),
])
def test_a_malformed_or_short_field_key_refuses_to_start(tmp_path, keys, problem):
    result = run(["-c", "import django; django.setup()"], tmp_path, FIELD_ENCRYPTION_KEYS=keys)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(f"django.core.exceptions.ImproperlyConfigured: {problem} (each key must be")
    assert last_line.endswith(KEY_HINT_END)
    assert "notakey" not in last_line and "YWFhYQ" not in last_line  # the message never shows the key


def test_check_deploy_reports_a_malformed_field_key(tmp_path):
    environment = production_secrets() | {"FIELD_ENCRYPTION_KEYS": "YWFhYQ=="}

    result = run(["manage.py", "check", "--deploy"], tmp_path, **environment)

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS key 1 of 1 holds 4 bytes, not 32" in result.stderr
    assert "YWFhYQ" not in result.stderr


def test_the_system_check_reports_a_field_key_set_in_other_ways(settings):
    from django.core.checks import run_checks

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), "YWFhYQ=="]

    errors = [error for error in run_checks() if error.id == "core.E001"]

    assert [error.msg for error in errors] == ["FIELD_ENCRYPTION_KEYS key 2 of 2 holds 4 bytes, not 32"]


def test_the_development_and_generated_keys_pass_the_check(settings):
    from workforce.core.encryption_keys import field_key_problems

    assert field_key_problems(list(settings.FIELD_ENCRYPTION_KEYS)) == []
    assert field_key_problems([Fernet.generate_key().decode(), Fernet.generate_key().decode()]) == []


TUNABLES = {"IMPORT_MAX_BYTES": "2048", "IMPORT_MAX_ROWS": "500", "IMPORT_POLL_SECONDS": "5",
            "IMPORT_REPORT_BUILD_TIMEOUT_SECONDS": "600", "SUPERVISION_ATTACHMENT_MAX_BYTES": "4096",
            "LIST_COUNT_CAP": "300"}


def test_every_tunable_is_read_from_the_environment(tmp_path):
    font = tmp_path / "font.ttf"
    font.write_bytes(b"\0")
    names = [*TUNABLES, "REPORT_FONT"]

    result = run(["-c", "import django; django.setup(); from django.conf import settings; "
                  f"print(*(getattr(settings, name) for name in {names!r}))"],
                 tmp_path, **TUNABLES, REPORT_FONT=str(font))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [*TUNABLES.values(), str(font)]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("IMPORT_MAX_ROWS", "1e6", "IMPORT_MAX_ROWS must be an integer, not '1e6'"),
    ("IMPORT_MAX_BYTES", "100", "IMPORT_MAX_BYTES must be at least 1024, not 100"),
    ("LIST_COUNT_CAP", "0", "LIST_COUNT_CAP must be at least 100, not 0"),
    ("IMPORT_POLL_SECONDS", "0", "IMPORT_POLL_SECONDS must be at least 1, not 0"),
    ("SUPERVISION_ATTACHMENT_MAX_BYTES", "20MB", "SUPERVISION_ATTACHMENT_MAX_BYTES must be an integer, not '20MB'"),
    ("REPORT_FONT", "/no/such/font.ttc", "REPORT_FONT must name an existing file, not '/no/such/font.ttc'"),
])
def test_a_bad_tunable_refuses_to_start(tmp_path, name, value, message):
    result = run(["-c", "import django; django.setup()"], tmp_path, **{name: value})

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == f"django.core.exceptions.ImproperlyConfigured: {message}"


def test_every_variable_the_settings_read_is_in_the_operator_guides_table():
    source = (PROJECT_DIR / "src/workforce/settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'\benv(?:int|bool|list|file)?\("([A-Z][A-Z0-9_]+)"', source))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z][A-Z0-9_]+)"', source))
    guide = (PROJECT_DIR / "docs/operator-guide.md").read_text(encoding="utf-8")
    table = guide[guide.index("## Settings"):guide.index("## What is kept where")]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)[`=]", table))

    assert len(read) > 30
    assert read - documented == set()


def test_no_module_reads_a_setting_with_a_fallback_default():
    """A ``getattr(settings, NAME, default)`` hides a setting from settings.py, the environment and the
    operator guide, and one read at import time ignores ``override_settings`` (issue 15)."""
    offenders = [str(path.relative_to(PROJECT_DIR)) for path in (PROJECT_DIR / "src/workforce").rglob("*.py")
                 if "getattr(settings," in path.read_text(encoding="utf-8") and "/tests/" not in str(path)]
    assert offenders == []


def test_every_periodic_job_is_in_the_operator_guide():
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")  # as the huey consumer does
    guide = (PROJECT_DIR / "docs/operator-guide.md").read_text(encoding="utf-8")
    jobs = guide[guide.index("Periodic jobs"):guide.index("## Settings")]
    periodic = {f"{task.__module__.removeprefix('workforce.')}.{task.__name__}"
                for task in HUEY._registry._periodic_tasks}

    assert "supervision.tasks.supervision_daily" in periodic
    assert periodic == set(re.findall(r"^\| [^|]+ \| `([a-z_.]+)` \|", jobs, re.MULTILINE))


def test_postgresql_runs_without_jit_and_keeps_the_options_the_url_gives(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['OPTIONS']['options'])")
    url = "postgres://postgres@127.0.0.1:5432/test"

    plain = run(["-c", code], tmp_path, DATABASE_URL=url)
    given = run(["-c", code], tmp_path, DATABASE_URL=f"{url}?options=-c%20statement_timeout%3D5000")

    assert (plain.returncode, plain.stdout.strip()) == (0, "-c jit=off")
    assert (given.returncode, given.stdout.strip()) == (0, "-c statement_timeout=5000 -c jit=off")
