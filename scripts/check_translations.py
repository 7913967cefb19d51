"""Fail when a Swedish catalogue has an untranslated or fuzzy entry, or a stale compiled .mo.

Run `make messages` first to pick up new strings from the code; CI does both.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues() -> list[Path]:
    return sorted(p for p in ROOT.glob("**/locale/sv/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def problems(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    found = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    found += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [*found, "no compiled .mo"]
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_path))}
    for entry in po.translated_entries():
        if compiled.get((entry.msgctxt, entry.msgid)) != (entry.msgstr, entry.msgstr_plural):
            found.append(f"stale .mo: {entry.msgid!r}")
    return found


def main() -> int:
    failed = False
    for path in catalogues():
        for problem in problems(path):
            failed = True
            print(f"{path.relative_to(ROOT)}: {problem}")
    print("Swedish catalogues: " + ("problems found" if failed else "complete"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
