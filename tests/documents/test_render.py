"""The renderers: the .docx read back with python-docx, the PDF read with pypdf."""

import io
import multiprocessing
import os
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdf
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from documents import docx_render, pdf
from documents.description import Description, DescriptionError, Item
from documents.samples import sample_issue


@pytest.fixture(scope="module")
def issue() -> Description:
    return sample_issue(20)


@pytest.fixture(scope="module")
def docx_bytes(issue) -> bytes:
    return docx_render.render_docx(issue)


@pytest.fixture(scope="module")
def pdf_bytes(soffice, docx_bytes) -> bytes:
    return pdf.convert_docx_to_pdf(docx_bytes)


def page_lines(pdf_data: bytes) -> list[list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf_data))
    return [[line for line in page.extract_text().splitlines() if line.strip()] for page in reader.pages]


def east_asian_font(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_docx_page_size_and_margins(docx_bytes):
    section = Document(io.BytesIO(docx_bytes)).sections[0]
    measured = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    measured += (section.left_margin, section.right_margin)
    # Word stores twips: within 0.01 mm of A4 and 37/35/28/26 mm.
    for value, millimetres in zip(measured, (210, 297, 37, 35, 28, 26), strict=True):
        assert abs(value - Mm(millimetres)) < Mm(0.01), (value.mm, millimetres)


def test_docx_styles_name_the_office_fonts(docx_bytes):
    styles = Document(io.BytesIO(docx_bytes)).styles
    expected = {
        docx_render.BODY: ("仿宋_GB2312", Pt(16)),
        docx_render.TITLE: ("方正小标宋简体", Pt(22)),
        docx_render.MASTHEAD: ("方正小标宋简体", Pt(40)),
        docx_render.ITEM_TITLE: ("黑体", Pt(16)),
        docx_render.SECTION: ("黑体", Pt(16)),
        docx_render.SOURCE: ("楷体_GB2312", Pt(16)),
        docx_render.NOTE: ("楷体_GB2312", Pt(16)),
        docx_render.FOLIO: ("宋体", Pt(14)),
    }
    for name, (font, size) in expected.items():
        assert east_asian_font(styles[name]) == font, name
        assert styles[name].font.size == size, name
    assert styles[docx_render.MASTHEAD].font.color.rgb == docx_render.RED
    body = styles[docx_render.BODY].paragraph_format
    assert body.line_spacing == docx_render.LINE_PITCH


def test_docx_items_in_order_with_red_rule_and_page_numbers(docx_bytes, issue):
    document = Document(io.BytesIO(docx_bytes))
    titles = [p.text for p in document.paragraphs if p.style.name == docx_render.ITEM_TITLE]
    assert titles == [item.title for item in issue.items]
    sources = [p.text for p in document.paragraphs if p.style.name == docx_render.SOURCE]
    assert sources == [item.source for item in issue.items]
    first = [p.text for p in document.paragraphs[:3]]
    assert first[:2] == ["江东组工信息", issue.issue_line]
    rule = document.paragraphs[2]._p.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert "PAGE" in odd._p.xml and "PAGE" in even._p.xml
    assert (odd.alignment, even.alignment) == (2, 0)  # right on odd pages, left on even ones


def test_description_limits():
    with pytest.raises(DescriptionError):
        Item(title="标" * 201)
    with pytest.raises(DescriptionError):
        Description(items=tuple(Item(title="x") for _ in range(201)))
    round_trip = Description.from_json(sample_issue(3).to_json())
    assert round_trip == sample_issue(3)


def test_pdf_text_size_and_fonts(pdf_bytes, issue):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    # pypdf puts a space between Latin digits and Chinese characters: compare without spaces.
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")
    for item in issue.items:
        assert item.title in text
    assert issue.issue_line in text and "江东组工信息" in text
    assert "— 1 —" in reader.pages[0].extract_text()
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+", 1)[1])
    # The faces the map chose: Noto Serif (仿宋, 小标宋 SemiBold), Noto Sans (黑体), a Kai (楷体).
    # (The Noto CJK collections share one CFF table named "…CJKjp…" for every language, so the
    # names cannot tell SC from JP: test_the_map_draws_simplified_glyphs looks at the glyphs.)
    assert any(name.startswith("NotoSerifCJK") and "SemiBold" in name for name in fonts), fonts
    assert any(name.startswith("NotoSerifCJK") and "Regular" in name for name in fonts), fonts
    assert any(name.startswith("NotoSansCJK") for name in fonts), fonts
    assert any("Kai" in name for name in fonts), fonts
    assert not any(name.startswith(("Liberation", "DejaVu")) for name in fonts), fonts


def _glyph_png(tmp_path, docx: bytes, name: str) -> bytes:
    pdf_path = tmp_path / f"{name}.pdf"
    pdf_path.write_bytes(pdf.convert_docx_to_pdf(docx))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", pdf_path, tmp_path / name], check=True)
    return next(tmp_path.glob(f"{name}*.png")).read_bytes()


def test_the_map_draws_simplified_glyphs(soffice, tmp_path, monkeypatch):
    """骨, 角, 直 are drawn differently in Japanese and Simplified Chinese: with the map the
    仿宋_GB2312 text looks like Noto Serif CJK SC named outright; without it (the system's
    fontconfig alone) LibreOffice drew something else (Noto … JP)."""
    words = "骨角直遍写" * 10

    def doc(font):
        description = Description(items=(Item(title="", paragraphs=(words,)),), page_numbers=False)
        data = docx_render.render_docx(description)
        return data.replace("仿宋_GB2312".encode(), font.encode())

    mapped = _glyph_png(tmp_path, doc("仿宋_GB2312"), "mapped")
    reference = _glyph_png(tmp_path, doc("Noto Serif CJK SC"), "reference")
    monkeypatch.setattr(pdf, "FONTS_CONF", "/etc/fonts/fonts.conf")
    unmapped = _glyph_png(tmp_path, doc("仿宋_GB2312"), "unmapped")
    assert mapped == reference
    assert unmapped != mapped


def test_body_grid_is_22_lines_of_28_characters(soffice):
    text = "组织工作信息报送审核平台测试文字" * 40
    description = Description(items=(Item(title="标题", paragraphs=(text, text, text)),))
    pages = page_lines(pdf.convert_docx_to_pdf(docx_render.render_docx(description)))
    second = pages[1]
    body, folio = second[:-1], second[-1]
    assert folio == "— 2 —"
    assert len(body) == docx_render.LINES_PER_PAGE
    assert max(len(line) for line in body) == docx_render.CHARS_PER_LINE


def test_line_breaks_match_the_docx_opened_in_libreoffice(pdf_bytes, docx_bytes, issue):
    """The stored PDF has the pages and line breaks of the .docx as LibreOffice lays it out, and
    loses no text of it."""
    reopened = page_lines(pdf.convert_docx_to_pdf(docx_bytes))
    stored = page_lines(pdf_bytes)
    assert len(stored) == len(reopened)
    assert stored == reopened
    document = Document(io.BytesIO(docx_bytes))
    flat = "".join("".join(page) for page in stored).replace(" ", "")
    for paragraph in document.paragraphs:
        assert paragraph.text.replace(" ", "").replace("\t", "") in flat


def _convert_in_child(title: str) -> tuple[int, bytes]:
    description = Description(items=(Item(title=title, paragraphs=("正文。",)),))
    return os.getpid(), pdf.convert_docx_to_pdf(docx_render.render_docx(description))


def test_parallel_conversions_each_use_their_own_profile(soffice):
    """Two worker processes converting at once: each has its LibreOffice profile, both succeed."""
    titles = ["第一份文件的标题", "第二份文件的标题"]
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
        results = list(pool.map(_convert_in_child, titles))
    assert len({pid for pid, _ in results}) == 2
    for title, (pid, data) in zip(titles, results, strict=True):
        assert title in "".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
        assert (pdf._profile_root() / f"profile-{pid}").is_dir()


def test_a_licensed_font_in_the_site_folder_comes_first(soffice, tmp_path):
    """A font the site drops into documents/fonts/site/ is used under its own name, before the
    fallback. The stand-in "licensed" font is a copy of AR PL KaitiM GB that fontconfig renames to
    仿宋_GB2312 while scanning it (a real 仿宋_GB2312 cannot ship with the tests)."""
    conf = tmp_path / "fonts.conf"
    (tmp_path / "site").mkdir()
    licensed = tmp_path / "site" / "SIMFANG.TTF"
    licensed.write_bytes(Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf").read_bytes())
    rename = (
        f'<match target="scan"><test name="file"><string>{licensed}</string></test>'
        '<edit name="family" mode="assign" binding="strong"><string>仿宋_GB2312</string></edit></match>'
    )
    conf.write_text(pdf.FONTS_CONF.read_text().replace("</fontconfig>", rename + "</fontconfig>"))
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def match(family):
        return subprocess.run(["fc-match", "-f", "%{file}", family], env=env, capture_output=True, text=True).stdout

    assert match("仿宋_GB2312") == str(licensed)
    assert "NotoSerifCJK" in match("方正小标宋简体")  # no licensed 小标宋 here: the fallback
    env["FONTCONFIG_FILE"] = str(pdf.FONTS_CONF)
    assert "NotoSerifCJK-Regular" in match("仿宋_GB2312")
