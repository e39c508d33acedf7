"""Issue 15: the two PDF routes for official documents, measured on a 20-item issue.

    .venv/bin/python bench/documents_routes.py [--weasyprint-python /path/to/venv/bin/python]

Route 1, LibreOffice headless converting the .docx (documents/pdf.py); route 2, WeasyPrint from
HTML with the same layout in CSS (needs weasyprint and the system's pango; it is not a project
dependency, so it runs in a virtualenv of its own, e.g. `python3 -m venv /tmp/wpvenv &&
/tmp/wpvenv/bin/pip install weasyprint==70`). Fidelity: the PDF's pages and line breaks compared
with the .docx opened in LibreOffice (converted again, separately). Prints one JSON line per route.
"""

import argparse
import difflib
import html
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from documents.description import Description  # noqa: E402 - after the path is set
from documents.samples import sample_issue  # noqa: E402

FONTS_CONF = ROOT / "documents" / "fonts" / "fonts.conf"
RUNS = 3

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-right { content: "— " counter(page) " —"; font: 14pt "宋体"; margin-right: 14pt; } }
@page :left { @bottom-right { content: none; }
  @bottom-left { content: "— " counter(page) " —"; font: 14pt "宋体"; margin-left: 14pt; } }
body { margin: 0; font: 16pt/28.95pt "仿宋_GB2312"; letter-spacing: -0.25pt; }
p { margin: 0; text-align: justify; text-indent: 31.5pt; }
.masthead { font: 40pt/86.85pt "方正小标宋简体"; color: #f00; text-align: center; text-indent: 0; letter-spacing: 0; }
.issue { text-align: center; text-indent: 0; }
.issuer { text-indent: 0; border-bottom: 2.25pt solid #f00; display: flex; justify-content: space-between; }
.title { font: 22pt/57.9pt "方正小标宋简体"; text-align: center; text-indent: 0; letter-spacing: 0; }
.section { font-family: "黑体"; text-indent: 0; text-align: left; }
.item-title { font-family: "黑体"; text-align: center; text-indent: 0; }
.source { font-family: "楷体_GB2312"; text-align: right; text-indent: 0; }
.note { font-family: "楷体_GB2312"; }
.dist { font: 14pt/28.95pt "仿宋_GB2312"; letter-spacing: 0; text-indent: 0; margin: 0 14pt;
  border-top: 0.5pt solid #000; display: flex; justify-content: space-between; }
.dist.first { border-top-width: 1pt; } .dist.last { border-bottom: 1pt solid #000; }
"""


def description_html(d: Description) -> str:
    e = html.escape
    out = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{CSS}</style></head><body>"]
    if d.masthead:
        out.append(f"<p class='masthead'>{e(d.masthead)}</p>")
    if d.issue_line:
        out.append(f"<p class='issue'>{e(d.issue_line)}</p>")
    if d.issuer or d.date:
        out.append(f"<p class='issuer'><span>{e(d.issuer)}</span><span>{e(d.date)}</span></p>")
    if d.title:
        out.append(f"<p class='title'>{e(d.title)}</p>")
    for item in d.items:
        if item.section:
            out.append(f"<p class='section'>{e(item.section)}</p>")
        out.append(f"<p class='item-title'>{e(item.title)}</p>")
        out += [f"<p>{e(text)}</p>" for text in item.paragraphs]
        if item.source:
            out.append(f"<p class='source'>{e(item.source)}</p>")
    out += [f"<p class='note'>{e(note)}</p>" for note in d.notes]
    rows = [*d.distribution.lines, None]
    out.append("<p>&#12288;</p>")
    for index, line in enumerate(rows):
        classes = "dist" + (" first" if index == 0 else "") + (" last" if index == len(rows) - 1 else "")
        if line is None:
            line = f"<span>{e(d.distribution.issuer)}</span><span>{e(d.distribution.printed)}</span>"
        else:
            line = e(line)
        out.append(f"<p class='{classes}'>{line}</p>")
    out.append("</body></html>")
    return "".join(out)


def weasyprint_child(out_path: str) -> None:
    """Runs in the WeasyPrint virtualenv: HTML to PDF RUNS times, prints the times."""
    import weasyprint

    document = description_html(sample_issue(20))
    times = []
    for _ in range(RUNS + 1):
        begun = time.perf_counter()
        data = weasyprint.HTML(string=document).write_pdf()
        times.append(time.perf_counter() - begun)
    Path(out_path).write_bytes(data)
    print(json.dumps({"times": times[1:], "first": times[0]}))


def page_lines(data: bytes) -> list[list[str]]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return [[ln.replace(" ", "") for ln in p.extract_text().splitlines() if ln.strip()] for p in reader.pages]


def fidelity(candidate: list[list[str]], reference: list[list[str]]) -> dict:
    lines_a = [ln for page in candidate for ln in page]
    lines_b = [ln for page in reference for ln in page]
    # Lines broken at the same place: the lines both PDFs have, matched in order (difflib).
    same = sum(
        block.size for block in difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=False).get_matching_blocks()
    )
    pages_same = sum(1 for a, b in zip(candidate, reference, strict=False) if a == b)
    return {
        "pages": len(candidate),
        "reference_pages": len(reference),
        "lines": len(lines_a),
        "reference_lines": len(lines_b),
        "same_lines": same,
        "same_pages": pages_same,
        "identical": candidate == reference,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weasyprint-python", default="")
    parser.add_argument("--child", default="")
    parser.add_argument("--out", default="/tmp/shots-docs")
    args = parser.parse_args()
    if args.child:
        os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)
        weasyprint_child(args.child)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from documents.docx_render import render_docx
    from documents.pdf import convert_docx_to_pdf

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    issue = sample_issue(20)
    times, data = [], b""
    docx = b""
    for _ in range(RUNS + 1):
        begun = time.perf_counter()
        docx = render_docx(issue)
        data = convert_docx_to_pdf(docx)
        times.append(time.perf_counter() - begun)
    (out / "issue20.docx").write_bytes(docx)
    (out / "issue20-libreoffice.pdf").write_bytes(data)
    reference = page_lines(convert_docx_to_pdf(docx))  # the .docx opened in LibreOffice, again
    result = {"route": "libreoffice", "first_s": round(times[0], 2), "median_s": round(statistics.median(times[1:]), 2)}
    print(json.dumps(result | fidelity(page_lines(data), reference), ensure_ascii=False))
    if args.weasyprint_python:
        target = out / "issue20-weasyprint.pdf"
        child = subprocess.run(
            [args.weasyprint_python, __file__, "--child", str(target)], capture_output=True, text=True, check=False
        )
        if child.returncode != 0:
            print(json.dumps({"route": "weasyprint", "error": child.stderr.strip()[-300:]}))
            return
        timing = json.loads(child.stdout.strip().splitlines()[-1])
        result = {
            "route": "weasyprint",
            "first_s": round(timing["first"], 2),
            "median_s": round(statistics.median(timing["times"]), 2),
        }
        print(json.dumps(result | fidelity(page_lines(target.read_bytes()), reference), ensure_ascii=False))


if __name__ == "__main__":
    main()
