"""A Description to .docx (python-docx), in the layout of GB/T 9704-2012.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the body in 三号 (16 pt) 仿宋, 22
lines of 28 characters: a fixed line pitch of 28.95 pt (225 mm ÷ 22) and the characters drawn
0.25 pt closer (156 mm ÷ 28 = 15.79 pt a character); titles in 二号 (22 pt) 小标宋, headings in 黑体,
source lines and notes in 楷体, page numbers in 4号 (14 pt) 半角 "— 1 —", odd pages right and even
pages left, one character in from the edge. The East Asian font names are written explicitly
(w:eastAsia) as offices have them installed, so Word and WPS show them; the server's PDF maps them
to the fonts it has (documents/fonts/fonts.conf).
"""

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from documents.description import Description

XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
FANGSONG = "仿宋_GB2312"
SONGTI = "宋体"  # page numbers
FONTS = (XIAOBIAOSONG, HEITI, KAITI, FANGSONG, SONGTI)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm text height (28.99 pt each), rounded down
CHAR_SPACING_TWIPS = -5  # w:spacing in 1/20 pt: 16 pt − 0.25 pt = 15.75 pt, 28 to the 156 mm line
BODY_SIZE, TITLE_SIZE, MASTHEAD_SIZE, FOLIO_SIZE, DISTRIBUTION_SIZE = Pt(16), Pt(22), Pt(40), Pt(14), Pt(14)
RED = RGBColor(0xFF, 0x00, 0x00)

# Style names (ASCII, so python-docx finds them in any Word language).
BODY, TITLE, MASTHEAD, ISSUE, SECTION, ITEM_TITLE, SOURCE, NOTE, DIST, FOLIO = (
    "GB Body",
    "GB Title",
    "GB Masthead",
    "GB Issue",
    "GB Section",
    "GB Item Title",
    "GB Source",
    "GB Note",
    "GB Distribution",
    "GB Folio",
)


def _set_fonts(rpr_owner, name: str) -> None:
    """Name the font for every script (w:ascii, w:hAnsi, w:eastAsia, w:cs) and the language zh-CN."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    # Quotes and dashes (ambiguous width) drawn full-width in the Chinese face, as Word does for zh-CN.
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _char_spacing(rpr_owner, twips: int) -> None:
    rpr = rpr_owner.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    rpr.append(spacing)


def _style(doc, name, font, size, *, align=None, bold=False, color=None, first_indent=None, line=LINE_PITCH):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = size
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    _set_fonts(style.element, font)
    if size == BODY_SIZE:
        _char_spacing(style.element, CHAR_SPACING_TWIPS)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False  # a fixed grid of 22 lines: no line pushed over for a widow
    if align is not None:
        fmt.alignment = align
    if first_indent is not None:
        fmt.first_line_indent = first_indent
    return style


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element, FANGSONG)
    two_chars = Pt(2 * 15.75)
    _style(doc, BODY, FANGSONG, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=two_chars)
    _style(doc, TITLE, XIAOBIAOSONG, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(2 * 28.95))
    _style(doc, MASTHEAD, XIAOBIAOSONG, MASTHEAD_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, line=Pt(3 * 28.95))
    _style(doc, ISSUE, FANGSONG, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, SECTION, HEITI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
    _style(doc, ITEM_TITLE, HEITI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, SOURCE, KAITI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(doc, NOTE, KAITI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=two_chars)
    _style(doc, DIST, FANGSONG, DISTRIBUTION_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
    _style(doc, FOLIO, SONGTI, FOLIO_SIZE, line=Pt(18))


def _border(paragraph, side: str, *, color="FF0000", size_eighths=12) -> None:
    """A rule above or below a paragraph (the red rule under the masthead, the 版记's lines)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _page_field(paragraph) -> None:
    """— PAGE — with the page number as a field (Word, WPS and LibreOffice fill it in)."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    begin, instr, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)
    paragraph.add_run(" —")


def _page_numbers(doc, section) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    one_char = FOLIO_SIZE
    odd = section.footer.paragraphs[0]
    odd.style = doc.styles[FOLIO]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = one_char
    _page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = doc.styles[FOLIO]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = one_char
    _page_field(even)
    section.footer_distance = Mm(35) - Mm(7) - Pt(18)  # the folio's baseline about 7 mm below the text block


def render_docx(description: Description) -> bytes:
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(15)
    if description.page_numbers:
        _page_numbers(doc, section)

    if description.security_note:
        doc.add_paragraph(description.security_note, style=SECTION)
    if description.masthead:
        doc.add_paragraph(description.masthead, style=MASTHEAD)
    if description.issue_line:
        doc.add_paragraph(description.issue_line, style=ISSUE)
    if description.signer:
        doc.add_paragraph(description.signer, style=ISSUE).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if description.issuer or description.date:
        line = doc.add_paragraph(style=ISSUE)
        line.alignment = WD_ALIGN_PARAGRAPH.LEFT
        text_width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        line.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
        line.add_run(f"{description.issuer}\t{description.date}")
        if description.masthead:
            _border(line, "bottom", size_eighths=18)  # the red rule (版头中的分隔线)
    if description.title:
        doc.add_paragraph(description.title, style=TITLE)
    for text in description.preface:
        doc.add_paragraph(text, style=NOTE)
    for item in description.items:
        if item.section:
            doc.add_paragraph(item.section, style=SECTION)
        doc.add_paragraph(item.title, style=ITEM_TITLE)
        for text in item.paragraphs:
            doc.add_paragraph(text, style=BODY)
        if item.source:
            doc.add_paragraph(item.source, style=SOURCE)
    for note in description.notes:
        doc.add_paragraph(note, style=NOTE)
    dist = description.distribution
    if dist.lines or dist.issuer or dist.printed:
        doc.add_paragraph(style=BODY)  # one blank line before the 版记
        rows = list(dist.lines)
        if dist.issuer or dist.printed:
            rows.append(f"{dist.issuer}\t{dist.printed}")
        for index, text in enumerate(rows):
            paragraph = doc.add_paragraph(style=DIST)
            paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(14)
            text_width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT - Pt(28)
            paragraph.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
            paragraph.add_run(text)
            _border(paragraph, "top", color="000000", size_eighths=8 if index == 0 else 4)
            if index == len(rows) - 1:
                _border(paragraph, "bottom", color="000000", size_eighths=8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
