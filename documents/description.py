"""The structured description of an official document: what the renderers know, and nothing else.

A leaf: it knows nothing of bulletins or journals. The owning app builds a Description (a journal
issue from its adopted bulletins, a circular from the rankings) and the renderers turn it into a
.docx and a PDF in the layout of GB/T 9704-2012. Every text is bounded here, so a description
stored as JSON (OfficialDocument.description) cannot grow without limit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

MAX_TITLE = 200
MAX_LINE = 200  # masthead, issue line, issuer, dates, source lines, distribution lines
MAX_BODY = 20_000  # an item's body
MAX_NOTE = 2_000
MAX_ITEMS = 200
MAX_PARAGRAPHS = 200
MAX_LINES = 20


class DescriptionError(ValueError):
    pass


def _check(value: str, limit: int, what: str) -> str:
    if not isinstance(value, str):
        raise DescriptionError(f"{what}: not a text")
    if len(value) > limit:
        raise DescriptionError(f"{what}: {len(value)} characters, at most {limit}")
    return value


def _check_list(values, limit: int, what: str) -> tuple:
    values = tuple(values)
    if len(values) > limit:
        raise DescriptionError(f"{what}: {len(values)} entries, at most {limit}")
    return values


@dataclass(frozen=True)
class Item:
    """One piece of the document: a heading (黑体), its body paragraphs (仿宋), its source line (楷体)."""

    title: str
    paragraphs: tuple[str, ...] = ()
    source: str = ""
    # A section heading above the item (e.g. 【工作动态】), in 黑体; empty for none.
    section: str = ""

    def __post_init__(self):
        _check(self.title, MAX_TITLE, "item title")
        object.__setattr__(self, "paragraphs", _check_list(self.paragraphs, MAX_PARAGRAPHS, "paragraphs"))
        if sum(len(_check(p, MAX_BODY, "paragraph")) for p in self.paragraphs) > MAX_BODY:
            raise DescriptionError(f"item body: more than {MAX_BODY} characters")
        _check(self.source, MAX_LINE, "source line")
        _check(self.section, MAX_LINE, "section heading")


@dataclass(frozen=True)
class Distribution:
    """The block at the end (版记): 报/送/发 lines between rules, then the issuer and the print date."""

    lines: tuple[str, ...] = ()
    issuer: str = ""
    printed: str = ""  # e.g. 2026年12月1日印发

    def __post_init__(self):
        object.__setattr__(self, "lines", _check_list(self.lines, MAX_LINES, "distribution lines"))
        for line in self.lines:
            _check(line, MAX_LINE, "distribution line")
        _check(self.issuer, MAX_LINE, "issuer")
        _check(self.printed, MAX_LINE, "print date")


@dataclass(frozen=True)
class Description:
    """A whole document.

    masthead: the red 报头 (e.g. 江东组工信息), empty for a document without one; issue_line: the
    line under it (第15期); issuer and date: left and right on the line above the red rule;
    title: the document's own title in 小标宋 (optional for a journal issue); notes: 按语 or
    remarks in 楷体 after the items; page_numbers: "— 1 —" on the outside edges.
    """

    title: str = ""
    # Printed above the masthead on the left, e.g. 内部资料 注意保存.
    security_note: str = ""
    masthead: str = ""
    issue_line: str = ""
    # Right-aligned under the issue line, e.g. 签发人：王建国 (a journal issue's signer).
    signer: str = ""
    issuer: str = ""
    date: str = ""
    # Before the items, in 楷体: an issue's 编者按.
    preface: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    notes: tuple[str, ...] = ()
    distribution: Distribution = field(default_factory=Distribution)
    page_numbers: bool = True

    def __post_init__(self):
        for name, limit in (
            ("title", MAX_TITLE),
            ("security_note", MAX_LINE),
            ("masthead", MAX_LINE),
            ("issue_line", MAX_LINE),
            ("signer", MAX_LINE),
        ):
            _check(getattr(self, name), limit, name)
        _check(self.issuer, MAX_LINE, "issuer")
        _check(self.date, MAX_LINE, "date")
        object.__setattr__(self, "items", _check_list(self.items, MAX_ITEMS, "items"))
        object.__setattr__(self, "notes", _check_list(self.notes, MAX_PARAGRAPHS, "notes"))
        object.__setattr__(self, "preface", _check_list(self.preface, MAX_PARAGRAPHS, "preface"))
        for note in (*self.notes, *self.preface):
            _check(note, MAX_NOTE, "note")

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Description:
        try:
            items = tuple(
                Item(
                    title=i["title"],
                    paragraphs=tuple(i.get("paragraphs", ())),
                    source=i.get("source", ""),
                    section=i.get("section", ""),
                )
                for i in data.get("items", ())
            )
            dist = data.get("distribution") or {}
            return cls(
                title=data.get("title", ""),
                security_note=data.get("security_note", ""),
                preface=tuple(data.get("preface", ())),
                masthead=data.get("masthead", ""),
                issue_line=data.get("issue_line", ""),
                signer=data.get("signer", ""),
                issuer=data.get("issuer", ""),
                date=data.get("date", ""),
                items=items,
                notes=tuple(data.get("notes", ())),
                distribution=Distribution(
                    lines=tuple(dist.get("lines", ())),
                    issuer=dist.get("issuer", ""),
                    printed=dist.get("printed", ""),
                ),
                page_numbers=bool(data.get("page_numbers", True)),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise DescriptionError(f"malformed description: {exc}") from exc
