"""Check gettext catalogues for entries that still need a translator.

Usage: python scripts/check_translations.py [FILE.po ...]
(default: every django.po of the project: src/workforce/locale/ and each app's own locale/).

An entry is reported when its msgstr is empty, when it is flagged ``fuzzy``, or when the
placeholders of msgid and msgstr differ (``%(name)s``, ``%d``, ``%s`` and ``{name}``; ``%%``,
``{{`` and ``}}`` are literal). The header entry and obsolete (``#~``) entries are skipped.
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


def main(argv):
    root = Path(__file__).resolve().parent.parent / "src" / "workforce"
    paths = [Path(a) for a in argv] or sorted(root.glob("**/locale/*/LC_MESSAGES/django.po"))
    found = [problem for path in paths for problem in problems(path)]
    print("\n".join(found) if found else f"OK: {len(paths)} catalogue(s) fully translated.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
