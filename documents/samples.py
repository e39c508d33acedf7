"""A journal-like issue of n items: for the tests, the benchmark and a look at the layout."""

from documents.description import Description, Distribution, Item

BODY = (
    "今年以来，江东省委组织部坚持把抓基层打基础作为长远之计和固本之举，围绕建强基层党组织战斗堡垒，"
    "深入实施“头雁”工程，选优配强村（社区）党组织书记1,286名，开展全覆盖轮训，推动基层治理能力持续提升。"
    "同时，坚持问题导向，对软弱涣散党组织逐一建立整顿台账，落实县级领导包联制度，整顿转化率达到98.5%。"
)


def sample_issue(items: int = 20, *, number: int = 15) -> Description:
    return Description(
        masthead="江东组工信息",
        issue_line=f"2026年第{number}期（总第{200 + number}期）",
        issuer="中共江东省委组织部办公室",
        date="2026年12月1日",
        items=tuple(
            Item(
                title=f"临江市东湖区推进基层党建“整乡推进、整县提升”第{i + 1}项工作",
                paragraphs=(BODY, BODY[:90] + "。"),
                source="（临江市委组织部 供稿）",
                section="【工作动态】" if i % 5 == 0 else "",
            )
            for i in range(items)
        ),
        notes=("按：以上信息供各级组织部门工作参考。",),
        distribution=Distribution(
            lines=("报：中组部办公厅，省委办公厅", "送：省委组织部部务会成员", "发：各市、县（区）委组织部"),
            issuer="中共江东省委组织部办公室",
            printed="2026年12月1日印发",
        ),
    )
