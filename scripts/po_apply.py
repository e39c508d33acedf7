"""Fill msgstr entries of the zh_Hans catalogue from a JSON file {msgid: translation}.

Usage: .venv/bin/python scripts/po_apply.py translations.json [--po locale/zh_Hans/LC_MESSAGES/django.po]
Prints the msgids that are still untranslated afterwards.
"""

import argparse
import json

import polib

parser = argparse.ArgumentParser()
parser.add_argument("json_file")
parser.add_argument("--po", default="locale/zh_Hans/LC_MESSAGES/django.po")
args = parser.parse_args()

with open(args.json_file, encoding="utf-8") as fh:
    translations = json.load(fh)
po = polib.pofile(args.po)
po.metadata.update(
    {"Language": "zh_Hans", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
)
for entry in po:
    if entry.msgid in translations:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: translations[entry.msgid]}
        else:
            entry.msgstr = translations[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
po.save(args.po)
missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
print(f"{len(missing)} untranslated")
for msgid in missing:
    print(json.dumps(msgid, ensure_ascii=False))
