"""Character-level differences between two texts (Chinese has no spaces: words are no unit)."""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class SideBySide:
    old_html: SafeString
    new_html: SafeString
    changed: bool


def char_diff(old: str, new: str) -> SideBySide:
    """Old text with deletions marked <del>, new text with insertions marked <ins>, both escaped."""
    old, new = old or "", new or ""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(escape(old[i1:i2]))
            right.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            left.append(f'<del class="diff-del">{escape(old[i1:i2])}</del>')
        if j2 > j1:
            right.append(f'<ins class="diff-ins">{escape(new[j1:j2])}</ins>')
    return SideBySide(
        old_html=mark_safe("".join(left)),  # every fragment above is escaped
        new_html=mark_safe("".join(right)),
        changed=old != new,
    )
