"""Character-level differences between two texts (Chinese has no spaces: words are no unit).

Computed on every view of a comparison, so bounded in time: diff-match-patch (Myers' algorithm)
stops refining at a deadline and leaves what it has not finished as one deletion and one
insertion. A comparison that hit its deadline is still correct (the old and the new text are
both there, in full) but coarser, and says so (`coarse`): the pages show a note.
"""

import time
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# How long one comparison may take; a page shows at most a few (title, body, source, facts).
DIFF_TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class SideBySide:
    old_html: SafeString
    new_html: SafeString
    changed: bool
    coarse: bool = False  # the deadline cut the comparison short: larger blocks marked than changed


class _Differ(diff_match_patch):
    """diff-match-patch that remembers whether the deadline cut a bisection short."""

    def __init__(self):
        super().__init__()
        self.timed_out = False

    def diff_bisect(self, text1, text2, deadline):
        diffs = super().diff_bisect(text1, text2, deadline)
        if time.time() > deadline:
            self.timed_out = True  # this part (at least) is one deletion and one insertion
        return diffs


def char_diff(old: str, new: str, *, timeout: float | None = None) -> SideBySide:
    """Old text with deletions marked <del>, new text with insertions marked <ins>, both escaped.

    Takes at most about `timeout` seconds (DIFF_TIMEOUT_SECONDS by default); 0 gives the coarsest.
    """
    old, new = old or "", new or ""
    timeout = DIFF_TIMEOUT_SECONDS if timeout is None else timeout
    differ = _Differ()
    differ.Diff_Timeout = max(timeout, 1e-6)  # > 0: diff-match-patch's speed-ups for long texts stay on
    diffs = differ.diff_main(old, new, True, time.time() + timeout)
    differ.diff_cleanupSemantic(diffs)  # no islands of one common character inside a rewritten passage
    left, right = [], []
    for op, text in diffs:
        if op == differ.DIFF_EQUAL:
            left.append(escape(text))
            right.append(escape(text))
        elif op == differ.DIFF_DELETE:
            left.append(f'<del class="diff-del">{escape(text)}</del>')
        else:
            right.append(f'<ins class="diff-ins">{escape(text)}</ins>')
    return SideBySide(
        old_html=mark_safe("".join(left)),  # every fragment above is escaped
        new_html=mark_safe("".join(right)),
        changed=old != new,
        coarse=differ.timed_out,
    )
