"""A county information officer drafts a bulletin with an attachment, edits it, and finds it in the list."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_county_staff_creates_edits_and_lists_a_draft(page, login, live_server, tree, tmp_path):
    from bulletins.models import Bulletin

    attachment = tmp_path / "会议纪要.pdf"
    attachment.write_bytes(PDF)
    login(tree.user("county_a1", "staff"))

    page.click("[data-testid=nav-bulletins]")
    assert "本单位还没有信息" in page.inner_text("main")
    page.click("[data-testid=new-bulletin]")

    page.fill("#id_title", "东湖区开展“三会一课”质量提升行动")
    page.select_option("#id_category", label="工作动态")
    page.fill("#id_place", "东湖区")
    page.fill("#id_body", "为推动基层党组织生活规范化，东湖区委组织部开展专项行动。")
    counter = page.locator("#body-counter")
    assert "已输入 28 字" in counter.inner_text()  # the live count follows the typing
    page.fill("#id_contact_name", "王晓燕")
    page.fill("#id_contact_phone", "0571-87654321")
    page.set_input_files("#id_files", str(attachment))
    page.click("[data-testid=save]")

    page.wait_for_selector("[data-testid=bulletin-title]")
    assert "草稿“东湖区开展“三会一课”质量提升行动”已保存" in page.inner_text("main")
    assert page.locator("[data-testid=attachment]").inner_text().startswith("会议纪要.pdf")

    page.click("[data-testid=edit]")
    assert page.input_value("#id_title") == "东湖区开展“三会一课”质量提升行动"
    page.fill("#id_title", "东湖区“三会一课”质量提升行动见实效")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=bulletin-title]")
    assert page.inner_text("[data-testid=bulletin-title]") == "东湖区“三会一课”质量提升行动见实效"

    page.click("[data-testid=nav-bulletins]")
    rows = page.locator("[data-testid=bulletin-row]")
    assert rows.count() == 1
    assert "东湖区“三会一课”质量提升行动见实效" in rows.first.inner_text()
    assert "草稿" in rows.first.inner_text()

    bulletin = Bulletin.objects.get()
    assert bulletin.edit_version == 2 and bulletin.attachments.get().original_name == "会议纪要.pdf"
