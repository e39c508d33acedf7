"""bulletins.diff: character differences, bounded in time, escaped."""

import html
import random
import re

import pytest

from bulletins import diff as diff_module
from bulletins.diff import char_diff

MARK = re.compile(r'<(del|ins) class="diff-(del|ins)">(.*?)</\1>', re.S)


def _side(markup: str, keep: str) -> str:
    """The text one side of a diff shows: its own marks unwrapped (the other side's never appear)."""
    assert ("<ins" if keep == "del" else "<del") not in markup
    return html.unescape(MARK.sub(lambda m: m.group(3), str(markup)))


def _edited(length: int, every: int, seed: int = 14) -> tuple[str, str]:
    rng = random.Random(seed)
    chars = "组工信息报送审核东湖区临江市干部人才党员基层治理网格"
    old = "".join(rng.choice(chars) for _ in range(length))
    new = "".join("改" if i % every == 0 else c for i, c in enumerate(old))
    return old, new


def test_both_texts_are_reconstructed_from_the_diff():
    old = "共收集群众诉求1372件，办结率达96.5%。\n第二段　保持不变。"
    new = "共收集群众诉求1372条，办结率达97%。\n第二段　保持不变，另有补充。"
    result = char_diff(old, new)
    assert _side(result.old_html, "del") == old and _side(result.new_html, "ins") == new
    assert '<del class="diff-del">件</del>' in result.old_html and '<ins class="diff-ins">条</ins>' in result.new_html
    assert result.changed and not result.coarse


def test_unchanged_and_empty_texts():
    assert not char_diff("同一段话", "同一段话").changed
    result = char_diff(None, "新增来源")
    assert result.changed and result.old_html == "" and result.new_html == '<ins class="diff-ins">新增来源</ins>'


def test_markup_in_the_text_stays_text():
    old = "来源：<b>组织科</b>"
    new = "来源：<script>alert('x')</script>&"
    result = char_diff(old, new)
    for markup in (result.old_html, result.new_html):
        outside_marks = re.sub(r'</?(del|ins)( class="diff-(del|ins)")?>', "", str(markup))
        assert "<" not in outside_marks and ">" not in outside_marks
    assert "script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;" in result.new_html
    assert _side(result.old_html, "del") == old and _side(result.new_html, "ins") == new


def test_a_long_text_edited_throughout_is_still_exact():
    old, new = _edited(5000, 50)
    result = char_diff(old, new)
    assert _side(result.old_html, "del") == old and _side(result.new_html, "ins") == new


def test_no_time_left_gives_a_coarse_but_complete_diff():
    old, new = _edited(3000, 50)
    result = char_diff(old, new, timeout=0)
    assert result.coarse and result.changed
    assert _side(result.old_html, "del") == old and _side(result.new_html, "ins") == new
    # Coarse: fewer, larger marked blocks than the 60 single-character edits.
    assert len(MARK.findall(str(result.new_html))) < 60


def test_the_default_deadline_is_read_at_call_time(monkeypatch):
    old, new = _edited(3000, 50)
    monkeypatch.setattr(diff_module, "DIFF_TIMEOUT_SECONDS", 0)
    assert char_diff(old, new).coarse


@pytest.mark.parametrize("timeout", [0, None])
def test_a_tiny_change_needs_no_bisection(timeout):
    # Common prefix and suffix alone: never coarse, whatever the deadline.
    result = char_diff(
        "党员积分管理" * 100 + "甲" + "办结" * 100, "党员积分管理" * 100 + "乙" + "办结" * 100, timeout=timeout
    )
    assert not result.coarse and str(result.new_html).count("<ins") == 1
