"""The English interface is English (issue 15 point 4): each main page rendered in English for the roles
that use it shows Chinese only where it shows user data (people's, employers', districts', occupations' and
departments' names), never in the interface's own words."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]+")


class _Text(HTMLParser):
    """The text a reader sees: text nodes and the attributes shown or read aloud (title, placeholder,
    aria-label, alt), without scripts, styles and what is marked as Chinese on purpose (``lang="zh…"``:
    the language switch's 简体中文, the brand's mark)."""

    SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._skipped: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style") or (tag != "html" and (dict(attrs).get("lang") or "").startswith("zh")):
            self._skip += 1
            self._skipped.append(tag)
        elif self._skipped and tag == self._skipped[-1]:
            self._skipped.append(tag)  # the same tag nested inside a skipped one
            self._skip += 1
        if not self._skip:
            self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if self._skipped and tag == self._skipped[-1]:
            self._skipped.pop()
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


# Stored text the platform itself wrote, which must be shown in the reader's language: not user data.
INTERFACE_TEXT = {"accounts.Role": {"name"}, "core.ChangeLogEntry": {"note"},
                  "imports.ImportProblem": {"message"}, "imports.RosterImport": {"message"}}


def _data_strings() -> list[str]:
    """Every Chinese text the database holds (names, titles, plan text): user data, not interface text."""
    found: set[str] = set()
    for model in apps.get_models():
        names = [field.name for field in model._meta.concrete_fields
                 if isinstance(field, models.CharField | models.TextField) and not field.choices
                 and field.name not in INTERFACE_TEXT.get(model._meta.label, ())]
        if not names or model._meta.app_label in ("sessions", "admin", "contenttypes", "auth"):
            continue
        for row in model._default_manager.values_list(*names):
            found.update(value for value in row if isinstance(value, str) and CJK.search(value))
    return sorted(found, key=len, reverse=True)


def chinese_interface_text(html: str, data: list[str]) -> list[str]:
    """The pieces of Chinese in ``html``'s visible text that are not part of any of the ``data`` strings."""
    parser = _Text()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for value in (value for value in data if value in text):
        text = text.replace(value, " ")
    return sorted(set(CJK.findall(text)))


def _pages(personas):
    worker, employer = personas.steel_worker.pk, personas.steel.pk
    return {
        "city_admin": ["/", "/registry/workers/", f"/registry/workers/{worker}/", "/registry/employers/",
                       f"/registry/employers/{employer}/", "/registry/workers/new/", "/users/", "/access-log/",
                       "/imports/", "/imports/upload/", "/accounts/security/"],
        "steel_hr": ["/", "/registry/workers/", f"/registry/workers/{worker}/", f"/registry/employers/{employer}/",
                     "/imports/"],
        "dongqu_officer": ["/", "/registry/workers/", "/registry/employers/"],
        "worker_user": ["/portal/", f"/registry/workers/{worker}/"],  # the worker's home (decision 0019)
        "leader": ["/", "/registry/employers/"],
    }


@pytest.mark.parametrize("role", ["city_admin", "steel_hr", "dongqu_officer", "worker_user", "leader"])
def test_english_pages_show_no_chinese_interface_text(personas, sign_in, role):
    client = sign_in(getattr(personas, role))
    data = _data_strings()
    found = {}
    for url in _pages(personas)[role]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code == 404:
            continue  # a page the role does not have
        assert response.status_code == 200, url
        assert '<html lang="en"' in response.content.decode()
        pieces = chinese_interface_text(response.content.decode(), data)
        if pieces:
            found[url] = pieces

    assert found == {}


def test_history_notes_are_shown_in_the_readers_language():
    from django.utils import translation

    from workforce.core.templatetags.workforce import note_text

    with translation.override("en"):
        assert note_text("花名册导入 #2 第 2 行") == "Roster import #2, row 2"
        assert note_text("合并重复职工时并入重叠记录") != "合并重复职工时并入重叠记录"
        assert note_text("调岗，见2026年12月通知") == "调岗，见2026年12月通知"  # the user's own words


def test_check_translations_reports_chinese_text_outside_gettext(tmp_path):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[4] / "scripts" / "check_translations.py"
    spec = importlib.util.spec_from_file_location("check_translations", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "views.py").write_text('"""文档。"""\nfrom django.utils.translation import gettext as _\n'
                                       'A = _("已翻译")\nB = "未翻译"\nC = f"第{1}行"\n', encoding="utf-8")

    assert [text for _line, text in module.untranslated_literals(tmp_path / "views.py")] == ["未翻译", "第", "行"]
    assert list(module.bypasses(tmp_path)) != []
    assert list(module.bypasses(script.parent.parent / "src" / "workforce")) == []


def test_english_supervision_pages_show_no_chinese_interface_text(personas, sign_in):
    from workforce.supervision.services.plans import ensure_seed_plan

    plan = ensure_seed_plan()
    client = sign_in(personas.city_admin)
    data = _data_strings()
    found = {}
    for url in ["/", "/supervision/", "/supervision/inbox/", plan.measures.get(number=6).get_absolute_url(),
                "/supervision/departments/city-union/"]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        pieces = chinese_interface_text(response.content.decode(), data)
        if pieces:
            found[url] = pieces

    assert found == {}


def test_english_import_pages_show_the_importers_messages_in_english(personas, sign_in):
    """The problems a background check stored, and a refusal, read in English (issue 15 point 4)."""
    from workforce.imports.tests.test_messages import BAD_DATE
    from workforce.imports.tests.test_services import check, roster

    checked = check(roster(BAD_DATE), personas.steel_hr)
    refused = check(roster([], header=["姓名", "公民身份号码", "户口性质", "入职日期"]), personas.steel_hr)
    client = sign_in(personas.steel_hr)
    data = _data_strings()

    for roster_import in (checked, refused):
        html = client.get(f"/imports/{roster_import.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert chinese_interface_text(html, data) == [], roster_import.status


def test_check_translations_reports_messages_missing_from_the_catalogues(tmp_path):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[4] / "scripts" / "check_translations.py"
    spec = importlib.util.spec_from_file_location("check_translations", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "cells.py").write_text(
        'from django.utils.translation import gettext_noop\nA = gettext_noop("新消息")\n'
        '# not translated: roster words\nWORDS = {\n    "是": True,\n    "否": False,\n}\n', encoding="utf-8")
    (tmp_path / "page.html").write_text('{% translate "新标题" %}{% translate "已有" %}', encoding="utf-8")
    (tmp_path / "django.po").write_text('msgid ""\nmsgstr ""\n\nmsgid "已有"\nmsgstr "Known"\n', encoding="utf-8")

    assert list(module.untranslated_literals(tmp_path / "cells.py")) == []  # the marked table is data
    missing = list(module.missing_entries(tmp_path, [tmp_path / "django.po"]))
    assert [line.rsplit(": ", 2)[1] for line in missing] == ["'新消息'", "'新标题'"]
