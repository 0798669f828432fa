"""A history names each changed field by its label in the reader's language, for every model that keeps a
change log (issue 15 point 3: supervision history showed "measure §3…", "department 市总工会")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from workforce.core.templatetags.workforce import EXTRA_LABELS, _field, _label

SOURCE = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
LOGGED_MODELS = [model for model in apps.get_models() if hasattr(model, "CHANGELOG_FIELDS")]


def _recorded_keys() -> set[str]:
    """The keys services write into a change-log row's ``before``/``after`` by hand (not by ``snapshot``)."""
    keys = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = []
            if isinstance(node, ast.Call):
                values = [keyword.value for keyword in node.keywords if keyword.arg in ("before", "after")]
            elif isinstance(node, ast.Assign) and any(getattr(target, "id", "") in ("before", "after")
                                                      for target in node.targets):
                values = [node.value]
            for value in values:
                for inner in ast.walk(value):
                    if isinstance(inner, ast.Dict):
                        keys |= {key.value for key in inner.keys
                                 if isinstance(key, ast.Constant) and isinstance(key.value, str)}
    return keys


def _labels(language: str) -> dict[tuple[str, str], str]:
    with translation.override(language):
        return {(model._meta.label, name): _label(_field(model, name), name)
                for model in LOGGED_MODELS for name in model.CHANGELOG_FIELDS}


def test_every_logged_field_has_a_chinese_label():
    unlabelled = {key: label for key, label in _labels("zh-hans").items() if not CJK.search(label)}

    assert unlabelled == {}


def test_every_logged_field_has_an_english_label():
    untranslated = {key: label for key, label in _labels("en").items() if CJK.search(label)}

    assert untranslated == {}


@pytest.mark.parametrize("key", sorted(_recorded_keys()))
def test_every_key_a_service_records_by_hand_has_a_label(key):
    owners = [model for model in LOGGED_MODELS if _field(model, key) is not None]
    with translation.override("zh-hans"):
        labels = [_label(_field(model, key), key) for model in owners] or [str(EXTRA_LABELS.get(key, key))]

    assert all(CJK.search(label) for label in labels), (key, labels)


def test_a_task_history_names_its_measure_department_and_milestones():
    from workforce.supervision.models import Task

    with translation.override("zh-hans"):
        assert [_label(_field(Task, name), name) for name in ("measure", "department", "milestones")] == [
            "举措", "责任部门", "任务节点"]
    with translation.override("en"):
        assert _label(_field(Task, "measure"), "measure") == "Measure"
