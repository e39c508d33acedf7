"""Demo bulletins at every stage of the route, made through the real services (idempotent).

Each scenario is identified by its title and filing unit: an existing one is left alone.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bulletins.models import Bulletin, Category
from bulletins.services import bulletin_create, bulletin_update
from demo.units import demo_user
from review.models import Adoption
from review.services import (
    adoption_add_instruction,
    bulletin_resubmit,
    bulletin_submit,
    bulletin_withdraw,
    review_adopt,
    review_decline,
    review_forward,
    review_return,
    review_sign_off,
)

# (unit, category code, title, body, source)
SAMPLES = {
    "points": (
        "lj-dh",
        "practice",
        "东湖区推行党员积分管理激发基层党组织活力",
        "今年以来，东湖区在全区212个基层党组织推行党员积分管理，将参加组织生活、志愿服务、"
        "联系群众等12项内容纳入积分，每季度公示一次，年底作为评先评优的重要依据。"
        "截至6月底，全区党员参与率达百分之九十五，开展志愿服务1.3万人次，"
        "群众满意度较去年同期提高6个百分点。",
        "区委组织部组织科提供，已与各街道党工委逐一核实。",
    ),
    "talent": (
        "lj-xl",
        "news",
        "西岭县实施“归雁计划”吸引在外人才返乡创业",
        "西岭县建立在外人才信息库，收录在外人才1860人，组织“乡情恳谈会”5场，"
        "出台创业扶持政策8条，今年已有136名在外人才返乡创办企业和合作社，带动就业2100余人。",
        "县人社局、县委人才办提供，数据截至5月31日。",
    ),
    "village": (
        "lj-nx",
        "problem",
        "南溪县部分村级后备干部队伍青黄不接的情况值得关注",
        "调研发现，南溪县186个行政村中，有41个村的后备干部不足2名，村干部平均年龄52.3岁，"
        "35岁以下的仅占百分之八。主要原因是年轻人外出务工多、村干部待遇偏低、培养渠道单一。"
        "建议建立村级后备干部县级统筹培养机制，落实村干部报酬正常增长机制。",
        "县委组织部组织科实地调研，走访12个乡镇。",
    ),
    "training": (
        "lj-bc",
        "suggestion",
        "关于改进基层干部教育培训方式的几点建议",
        "当前基层干部培训存在内容针对性不强、形式较为单一、工学矛盾突出等问题。"
        "建议：一是按需设置课程，开展培训需求调查；二是推广“线上+线下”混合式培训；"
        "三是建立训后跟踪评估制度，把培训成效与干部使用挂钩。",
        "北川县委组织部干部教育科在全县问卷调查基础上形成。",
    ),
    "flood": (
        "lj-bs",
        "incident",
        "白石县党员干部连夜转移受暴雨影响群众",
        "受强降雨影响，白石县3个乡镇出现内涝。县委组织部第一时间组织党员突击队23支、"
        "党员干部460余人下沉一线，连夜转移群众1200余人，目前无人员伤亡。",
        "县应急管理局通报，县委组织部现场核实。",
    ),
    "grid": (
        "qs-sy",
        "practice",
        "松源县推行“党建+网格”基层治理模式",
        "松源县将全县划分为628个网格，每个网格配备1名党员网格长，建立“网格吹哨、部门报到”机制，"
        "今年已解决群众急难愁盼问题3400余件，办结率百分之九十七。",
        "县委组织部、县委政法委联合提供。",
    ),
    "first_secretary": (
        "qs-lh",
        "news",
        "柳河县选派第一书记驻村帮扶取得实效",
        "柳河县向54个重点村选派第一书记，帮助引进产业项目37个，村集体经济收入全部达到10万元以上。",
        "县委组织部提供，已核实。",
    ),
    "party_school": (
        "yz-yx",
        "news",
        "云溪区开设“红色夜校”服务年轻党员学习",
        "云溪区利用晚间时段开设“红色夜校”，累计开班48期，参学年轻党员3100余人次。",
        "区委组织部提供。",
    ),
    "onboarding": (
        "yz-zb",
        "practice",
        "泽北县建立新录用公务员“导师帮带”制度",
        "泽北县为新录用的86名公务员逐一确定导师，明确帮带目标和考核办法，帮带期一年。",
        "县委组织部公务员科提供。",
    ),
    "digest": (
        "qs",
        "practice",
        "青山市以“三个一批”加强年轻干部培养",
        "青山市通过“选调一批、实践锻炼一批、提拔使用一批”，今年累计选派312名年轻干部到基层一线墩苗历练。",
        "市委组织部干部一科提供。",
    ),
    "draft_only": (
        "lj-dh",
        "news",
        "东湖区举办基层党务工作者示范培训班（草稿）",
        "东湖区举办为期3天的基层党务工作者示范培训班，全区120名党务工作者参加。",
        "",
    ),
    "withdrawn": (
        "yz-wh",
        "news",
        "望海县开展党员冬训工作（已撤回修改）",
        "望海县组织全县党员开展冬训，采取集中学习、专题研讨、实践活动相结合的方式。",
        "",
    ),
}


def _create(key: str, **extra) -> Bulletin | None:
    """The scenario's draft, or None when it already exists (the seed is idempotent)."""
    unit_code, category_code, title, body, source = SAMPLES[key]
    staff = demo_user(unit_code, "staff")
    if Bulletin.objects.filter(filing_unit=staff.unit, title=title).exists():
        return None
    return bulletin_create(
        actor=staff,
        title=title,
        body=body,
        source=source,
        category=Category.objects.get(code=category_code),
        contact_name=staff.get_full_name(),
        contact_phone="0571-8800" + str(1000 + len(title)),
        **extra,
    )


def _sent_up(key: str, **extra) -> Bulletin | None:
    """Created, submitted and signed off: waiting in the parent unit's queue."""
    bulletin = _create(key, **extra)
    if bulletin is not None:
        unit = bulletin.filing_unit.code
        bulletin_submit(actor=demo_user(unit, "staff"), bulletin=bulletin)
        review_sign_off(actor=demo_user(unit, "reviewer"), bulletin=bulletin)
    return bulletin


@transaction.atomic
def seed() -> dict:
    made = []

    # Draft, never submitted.
    if _create("draft_only"):
        made.append("draft")

    # Submitted, waiting for its own unit's sign-off (an incident: the 24-hour clock runs).
    flood = _create("flood", occurred_at=timezone.now() - timedelta(hours=6), place="白石县城关镇、双河镇、青石乡")
    if flood:
        bulletin_submit(actor=demo_user("lj-bs", "staff"), bulletin=flood)
        made.append("awaiting sign-off")

    # Withdrawn back to draft (version 1 kept).
    withdrawn = _create("withdrawn")
    if withdrawn:
        bulletin_submit(actor=demo_user("yz-wh", "staff"), bulletin=withdrawn)
        bulletin_withdraw(actor=demo_user("yz-wh", "staff"), bulletin=withdrawn)
        made.append("withdrawn")

    # Signed off, waiting in the city's queue.
    if _sent_up("talent"):
        made.append("at city")

    # Returned by the city, waiting for revision.
    village = _sent_up("village")
    if village:
        review_return(
            actor=demo_user("lj", "reviewer"),
            bulletin=village,
            reason="verify",
            comment="请核实“41个村后备干部不足2名”的统计口径，并补充典型村的具体情况。",
        )
        made.append("returned")

    # Returned by the city, revised and resubmitted as version 2, signed off again by the county
    # (every item sent upward is signed off by its unit), and back straight in the city's queue.
    training = _sent_up("training")
    if training:
        review_return(
            actor=demo_user("lj", "reviewer"),
            bulletin=training,
            reason="pertinence",
            comment="建议结合本县实际，补充具体做法和数据。",
        )
        bulletin_update(
            actor=demo_user("lj-bc", "staff"),
            bulletin_id=training.pk,
            expected_edit_version=training.edit_version,
            body=training.body + "北川县今年已试点混合式培训班6期，参训干部满意度达百分之九十二。",
        )
        training.refresh_from_db()
        bulletin_resubmit(actor=demo_user("lj-bc", "staff"), bulletin=training)
        review_sign_off(actor=demo_user("lj-bc", "reviewer"), bulletin=training)
        made.append("resubmitted")

    # Adopted by the city, final.
    party_school = _sent_up("party_school")
    if party_school:
        review_adopt(actor=demo_user("yz", "reviewer"), bulletin=party_school, kind="abridged")
        made.append("adopted by city")

    # Declined by the city.
    onboarding = _sent_up("onboarding")
    if onboarding:
        review_decline(
            actor=demo_user("yz", "head"),
            bulletin=onboarding,
            reason="duplicate",
            comment="与本月已编发的稿件内容重复。",
        )
        made.append("declined")

    # Adopted and forwarded by the city, waiting at the province.
    grid = _sent_up("grid")
    if grid:
        review_adopt(actor=demo_user("qs", "reviewer"), bulletin=grid, kind="full", forward=True)
        made.append("at province")

    # Forwarded by the city, adopted by the province.
    first_secretary = _sent_up("first_secretary")
    if first_secretary:
        review_forward(actor=demo_user("qs", "reviewer"), bulletin=first_secretary)
        review_adopt(actor=demo_user("jd", "reviewer"), bulletin=first_secretary, kind="combined")
        made.append("adopted by province")

    # A city's own bulletin, waiting at the province.
    if _sent_up("digest"):
        made.append("city's own at province")

    # The highest honour: county → city → province → central, adopted by the central unit,
    # with a leader's instruction.
    points = _sent_up("points")
    if points:
        review_adopt(actor=demo_user("lj", "reviewer"), bulletin=points, kind="full", forward=True)
        review_adopt(actor=demo_user("jd", "reviewer"), bulletin=points, kind="abridged", forward=True)
        review_adopt(actor=demo_user("zy", "reviewer"), bulletin=points, kind="combined")
        adoption_add_instruction(
            actor=demo_user("jd", "head"),
            adoption=Adoption.objects.get(bulletin=points, unit__code="jd"),
            leader="省委常委、组织部部长",
            text="东湖区的做法很好，请在全省组织系统交流推广。",
            instructed_on=timezone.localdate(),
        )
        made.append("adopted by central")

    return {"bulletins_created": len(made), "stages": made}
