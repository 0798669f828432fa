"""Check gettext catalogues for entries that still need a translator.

Usage: python scripts/check_translations.py [FILE.po ...]
(default: every django.po of the project: src/workforce/locale/ and each app's own locale/).

An entry is reported when its msgstr is empty, when it is flagged ``fuzzy``, or when the
placeholders of msgid and msgstr differ (``%(name)s``, ``%d``, ``%s`` and ``{name}``; ``%%``,
``{{`` and ``}}`` are literal). The header entry and obsolete (``#~``) entries are skipped.
It also reports the Chinese messages the code asks for (a gettext call's literal, ``{% translate "…" %}``) that
no catalogue holds, and reads the Python code for Chinese text that bypasses translation (issue 15 point 4): a Chinese
string literal outside a gettext call (``_``, ``gettext``, ``gettext_lazy``, ``ngettext``…), a docstring or
a file of data (``DATA_FILES``: demo data, seeds, the roster's column headers). The messages not yet
translated are counted per file in ``KNOWN_UNTRANSLATED``; a file with more than its count is reported, so
new untranslated text cannot slip in (lower the count when you translate some).

Exits 1 listing the problems, 0 when every entry is translated. Pure Python, no Django needed.
"""

import ast
import re
import sys
from collections import Counter
from pathlib import Path

PRINTF = re.compile(r"%(?:\([^)]*\))?[#0+\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE = re.compile(r"\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")


def entries(path):
    """Yield (msgid, msgid_plural, [msgstr...], flags, line) for every live entry of a .po file."""
    entry, key, start = {}, None, 0
    for number, line in enumerate([*path.read_text(encoding="utf-8").splitlines(), ""], 1):
        line = line.strip()
        if not line or (line.startswith("#") and "msgid" in entry):
            if "msgid" in entry:
                strs = [v for k, v in sorted(entry.items()) if k.startswith("msgstr")]
                yield entry["msgid"], entry.get("msgid_plural"), strs, entry.get("flags", set()), start
            entry, key = {}, None
        if line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith(("msgctxt", "msgid", "msgstr")):
            key, _, literal = line.partition(" ")
            entry[key] = ast.literal_eval(literal)
            start = start if key != "msgid" else number
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)


def placeholders(text):
    text = text.replace("%%", "").replace("{{", "").replace("}}", "")
    return Counter(PRINTF.findall(text) + BRACE.findall(text))


def problems(path):
    for msgid, plural, strs, flags, line in entries(path):
        if msgid == "":
            continue  # the header
        where = f"{path}:{line}: {msgid[:60]!r}"
        if "fuzzy" in flags:
            yield f"{where}: fuzzy"
        if not strs or any(not s for s in strs):
            yield f"{where}: untranslated"
            continue
        if plural is None:
            if placeholders(msgid) != placeholders(strs[0]):
                yield f"{where}: placeholders differ ({', '.join(placeholders(msgid))} / {strs[0][:60]!r})"
        else:  # a plural form may leave out the count, but must not invent placeholders
            allowed = set(placeholders(msgid)) | set(placeholders(plural))
            if any(set(placeholders(s)) - allowed for s in strs):
                yield f"{where}: placeholders differ in a plural form"


CJK = re.compile(r"[\u3400-\u9fff]")
GETTEXT = {"_", "_lazy", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext",
           "pgettext_lazy"}
# Files whose Chinese text is data, not interface: demo data, seeds, the roster's Chinese column headers.
DATA_FILES = {"conftest.py", "demo/registry/catalogue.py", "demo/registry/plans.py", "demo/registry/generate.py",
              "demo/supervision.py", "indicators/seed.py", "imports/columns.py", "accounts/validators.py",
              "accounts/departments.py", "demo/unions.py",
              "demo/accounts.py", "demo/portal.py",
              "demo/management/commands/demo_users.py", "settings.py", "supervision/annual.py",
              "skills/seed.py", "demo/skills.py"}
# Chinese messages still written without gettext, per file (debt to pay, never to grow).
# The importer's messages (parsing.py, cells.py, readers.py) are marked with gettext_noop and stored with
# their msgid and parameters, translated when shown (core/messages.py, issue 15 point 4), and so are the
# identifier validators' (core/identifiers.py); tables of roster words and patterns are marked
# ``# not translated:``.
KNOWN_UNTRANSLATED = {"imports/workbooks.py": 54, "imports/committing.py": 3, "imports/reports.py": 1,
                      "imports/views.py": 1, "indicators/definitions.py": 10,
                      "indicators/api/views.py": 3, "reference/services.py": 5, "supervision/apps.py": 1,
                      "accounts/management/commands/enrolment_code.py": 1}


def _exempt_lines(tree, lines) -> set[int]:
    """The lines of the assignments marked ``# not translated: <why>`` on their first line or the line
    above (a table of the words rosters use, a pattern): data, not interface."""
    exempt = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and any(
                "# not translated:" in lines[number - 1] for number in (node.lineno, node.lineno - 1) if number):
            exempt.update(range(node.lineno, node.end_lineno + 1))
    return exempt


def untranslated_literals(path):
    """The Chinese string literals of a Python file that no gettext call wraps (docstrings excepted);
    a line ending in ``# not translated: <why>`` is skipped (a pattern, a font name), and so is an
    assignment so marked on its first line or the line above it (a table of roster words)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    exempt = _exempt_lines(tree, lines)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.JoinedStr):
            parent = parents.get(parent)
        if isinstance(parent, ast.Expr) or "# not translated:" in lines[node.end_lineno - 1] or node.lineno in exempt:
            continue
        if isinstance(parent, ast.Call) and getattr(parent.func, "id", getattr(parent.func, "attr", "")) in GETTEXT:
            continue
        yield node.lineno, node.value


def bypasses(root):
    """Files with more Chinese literals outside gettext than ``KNOWN_UNTRANSLATED`` allows."""
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if "tests" in path.parts or "migrations" in path.parts or name in DATA_FILES:
            continue
        found = list(untranslated_literals(path))
        if len(found) > KNOWN_UNTRANSLATED.get(name, 0):
            shown = "; ".join(f"line {line}: {text[:30]!r}" for line, text in found[:5])
            yield (f"{path}: {len(found)} Chinese text(s) outside gettext (known: "
                   f"{KNOWN_UNTRANSLATED.get(name, 0)}): {shown}")


TEMPLATE_TRANSLATE = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+(?:as\s+\w+|noop|context\s+\S+))?\s*%\}""")


def used_msgids(root):
    """(where, msgid) of the Chinese messages the code asks the catalogue for: the first argument of a
    gettext call (``_``, ``gettext_noop``, …) in Python, and ``{% translate "…" %}`` in templates."""
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in GETTEXT
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and CJK.search(node.args[0].value)):
                yield f"{path}:{node.lineno}", node.args[0].value
    for path in sorted(root.rglob("*.html")):
        if "vendor" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in TEMPLATE_TRANSLATE.finditer(text):
            if CJK.search(match.group(2)):
                yield f"{path}:{text.count(chr(10), 0, match.start()) + 1}", match.group(2)


def missing_entries(root, paths):
    """Messages the code uses that no catalogue has: shown in Chinese on English pages."""
    known = {msgid for path in paths for msgid, _plural, strs, _flags, _line in entries(path) if msgid}
    for where, msgid in used_msgids(root):
        if msgid not in known:
            yield f"{where}: {msgid[:60]!r}: not in any catalogue"


def main(argv):
    root = Path(__file__).resolve().parent.parent / "src" / "workforce"
    paths = [Path(a) for a in argv] or sorted(root.glob("**/locale/*/LC_MESSAGES/django.po"))
    found = [problem for path in paths for problem in problems(path)]
    if not argv:
        found += list(bypasses(root))
        found += list(missing_entries(root, paths))
    print("\n".join(found) if found else f"OK: {len(paths)} catalogue(s) fully translated.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
