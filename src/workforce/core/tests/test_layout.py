"""The apps keep the layout and the scoping rule their decisions describe (decisions 0001 and 0002 as
amended by issue 15): one slot per concern, scoping only in each app's ``querysets`` module, and no
app reaching into another's views, API or forms."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

PACKAGE = Path(__file__).resolve().parents[2]
APPS = sorted(path.parent for path in PACKAGE.glob("*/apps.py"))
SLOTS = ("views", "urls", "forms", "serializers", "querysets", "selectors", "services", "filters", "models")


def source_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if "tests" not in path.parts and "migrations" not in path.parts)


def test_the_apps_are_found():
    assert {path.name for path in APPS} >= {"accounts", "core", "imports", "indicators", "reference", "registry",
                                           "supervision"}


def test_no_app_has_a_second_module_beside_a_slot():
    """``user_views.py`` beside ``views``, ``api_urls.py`` beside ``api/urls.py``: one place to look."""
    second = re.compile(r"^(?:\w+_(?:%s)|api_\w+)\.py$" % "|".join(SLOTS))  # noqa: UP031
    offenders = [str(path.relative_to(PACKAGE)) for app in APPS for path in app.iterdir() if second.match(path.name)]
    assert offenders == []


def test_serializers_and_api_views_live_in_the_apps_api_package():
    api_class = re.compile(r"^class \w+\((?:serializers\.\w+|\w*Serializer|APIView|\w*ViewSet|generics\.\w+)",
                           re.MULTILINE)
    found = [path.relative_to(PACKAGE) for app in APPS for path in source_files(app)
             if api_class.search(path.read_text(encoding="utf-8"))]
    assert Path("accounts/api/views.py") in found
    assert [str(path) for path in found if path.parts[1] != "api"] == []


def test_visible_to_is_defined_only_in_querysets_modules():
    defined = {str(path.relative_to(PACKAGE)) for app in APPS for path in source_files(app)
               if "def visible_to(" in path.read_text(encoding="utf-8")}
    assert defined == {name for name in defined if name.endswith("/querysets.py")}
    assert {"accounts/querysets.py", "imports/querysets.py", "registry/querysets.py",
            "supervision/querysets.py"} <= defined


def scoped_models() -> list[str]:
    return sorted({model.__name__ for model in apps.get_models()
                   if model.__module__.startswith("workforce.") and hasattr(model._default_manager, "visible_to")})


def test_no_view_in_any_app_queries_a_scoped_model_without_visible_to():
    models = scoped_models()
    assert {"Worker", "Employer", "RosterImport", "ApiToken", "Task", "ProgressReport"} <= set(models)
    unscoped = re.compile(r"\b(?:%s)\.objects\b(?!\.visible_to\()" % "|".join(models))  # noqa: UP031
    views = [path for app in APPS for path in source_files(app)
             if path.stem == "views" or path.parent.name == "views"]
    assert PACKAGE / "accounts" / "views" / "users.py" in views

    offenders = {f"{path.relative_to(PACKAGE)}:{number}": line.strip() for path in views
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if unscoped.search(line)}

    assert offenders == {}


def test_no_app_imports_another_apps_views_api_or_forms():
    reach = re.compile(r"^\s*(?:from|import) workforce\.(\w+)\.(?:views|api|forms)\b", re.MULTILINE)
    offenders = [f"{path.relative_to(PACKAGE)}: {app.name} -> {match.group(1)}"
                 for app in APPS for path in source_files(app)
                 for match in reach.finditer(path.read_text(encoding="utf-8"))
                 if match.group(1) not in (app.name, "core")]
    assert offenders == []


def test_no_domain_app_imports_the_demo():
    """Decision 0014: the demo depends on the apps, never the other way round."""
    offenders = [str(path.relative_to(PACKAGE)) for app in APPS if app.name != "demo" for path in source_files(app)
                 if re.search(r"^\s*(?:from|import) workforce\.demo\b", path.read_text(encoding="utf-8"), re.MULTILINE)]
    assert offenders == []
