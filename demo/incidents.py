"""Demo data: one incident in each state of the 24-hour rule, then the check (idempotent).

The incidents are written through the real services with their time of event in the past
relative to now, so that the check run at the end leaves them as:
counting down, warned (past 20 hours), flagged overdue, sent up on time, sent up late.
Each scenario is identified by its title and filing unit: an existing one is left alone.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bulletins.models import Bulletin, Category
from bulletins.services import bulletin_create
from demo.units import demo_user
from incidents.services import incident_clocks_backfill, incidents_flag_overdue
from review.services import bulletin_submit, review_sign_off

# key: (unit, hours since the event, sign off now?, title, body, place)
INCIDENTS = {
    "countdown": (
        "lj-xl",
        3,
        False,
        "西岭县组织党员突击队抢修山区受损道路",
        "今日凌晨，西岭县青龙乡因山体滑坡导致县道中断约200米。县委组织部迅速组织党员突击队4支、"
        "党员干部86人赶赴现场，协助交通部门清理塌方，目前已抢通便道，无人员伤亡。",
        "西岭县青龙乡",
    ),
    "warned": (
        "lj-nx",
        21,
        False,
        "南溪县党员干部连夜排查化工园区安全隐患",
        "昨日上午，南溪县化工园区一企业发生泄漏，已及时处置。县委组织部组织园区党组织和"
        "党员干部120余人开展拉网式排查，共排查企业37家，发现并整改隐患19处。",
        "南溪县化工园区",
    ),
    "overdue": (
        "lj-dh",
        28,
        False,
        "东湖区党员志愿者协助处置老旧小区火情",
        "前日晚，东湖区滨江街道一老旧小区发生火情。社区党委组织党员志愿者32人协助消防疏散居民，"
        "安置受影响群众46人，火情已于当晚扑灭，无人员伤亡。",
        "东湖区滨江街道",
    ),
    "on_time": (
        "qs-sy",
        8,
        True,
        "松源县组织党员干部转移受山洪威胁群众",
        "今日凌晨，松源县北部山区突降暴雨引发山洪。县委组织部组织驻村第一书记和党员干部210人，"
        "转移受威胁群众680余人，全部妥善安置，无人员伤亡。",
        "松源县北部山区",
    ),
    "late": (
        "qs-lh",
        30,
        True,
        "柳河县党员突击队参与森林火灾扑救",
        "前日上午，柳河县西山林场发生森林火情。县委组织部组织党员突击队6支、党员干部150余人"
        "配合专业扑火队扑救，明火已于当日傍晚扑灭，过火面积约12公顷，无人员伤亡。",
        "柳河县西山林场",
    ),
}


@transaction.atomic
def _scenario(key: str, now) -> bool:
    unit_code, hours_ago, sign_off, title, body, place = INCIDENTS[key]
    staff = demo_user(unit_code, "staff")
    if Bulletin.objects.filter(filing_unit=staff.unit, title=title).exists():
        return False
    bulletin = bulletin_create(
        actor=staff,
        title=title,
        body=body,
        source="县委组织部值班室报告，已电话核实。",
        place=place,
        occurred_at=now - timedelta(hours=hours_ago),
        category=Category.objects.get(code="incident"),
        contact_name=staff.get_full_name(),
        contact_phone="13800000000",
    )
    bulletin_submit(actor=staff, bulletin=bulletin)
    if sign_off:
        review_sign_off(actor=demo_user(unit_code, "reviewer"), bulletin=bulletin)
    return True


def seed() -> dict:
    now = timezone.now()
    made = [key for key in INCIDENTS if _scenario(key, now)]
    started = incident_clocks_backfill()
    result = incidents_flag_overdue()
    return {
        "incidents created": made,
        "clocks started": started,
        "warned": len(result.warned),
        "flagged": len(result.flagged),
    }
