"""Scoping lives in one place: the unions' views and API read members and applications only through
``visible_to``/``in_scope_of`` or the selectors, never with a bare ``.objects.`` query."""

import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent
SCOPED = ["MembershipApplication", "Officer"]


def test_views_never_query_scoped_models_without_visible_to():
    offenders = []
    for path in [*APP.glob("views/*.py"), APP / "api" / "views.py"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for model in SCOPED:
                if re.search(rf"\b{model}\.objects\.(?!visible_to\()", line):
                    offenders.append(f"{path.name}:{number}: {line.strip()}")
            if re.search(r"\bOrganisation\.objects\.(?!visible_to\(|in_scope_of\(|subtree\()", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
