"""Demo data: a province call to every unit below it, answered by one county (straight to the
province's queue) and not yet by the others; a city's call, and the province's reporting points (idempotent)."""

from datetime import timedelta

from django.utils import timezone

from bulletins.models import Bulletin, Category
from calls.models import Call, PointList, TargetMode
from calls.services import call_answer_create, call_issue, point_tag, points_publish
from demo.units import demo_user
from review.services import bulletin_submit, review_sign_off

PROVINCE_CALL = "关于报送基层党组织标准化建设经验做法的约稿通知"
CITY_CALL = "关于报送年轻干部培养选拔工作情况的约稿通知"
POINTS = "江东省委组织部2026年12月报送要点"


def seed() -> dict:
    made = []
    now = timezone.now()
    if not Call.objects.filter(title=PROVINCE_CALL).exists():
        call = call_issue(
            actor=demo_user("jd", "reviewer"),
            title=PROVINCE_CALL,
            theme="基层党组织标准化规范化建设",
            requirements="围绕组织设置、组织生活、阵地建设等方面，报送具体做法和成效，每篇1000字以内，数据准确、事例典型。",
            deadline_at=now + timedelta(days=6),
            target_mode=TargetMode.ALL_BELOW,
            items_per_unit=1,
        )
        staff = demo_user("lj-dh", "staff")
        answer = call_answer_create(
            actor=staff,
            call=call,
            title="东湖区推进“五化”支部建设全覆盖",
            body="东湖区以标准化规范化为抓手，推进支部设置、组织生活、阵地建设、制度落实、作用发挥“五化”建设……",
            category=Category.objects.get(code="practice"),
            source="区委组织部组织科提供，经台账核对。",
            contact_name=staff.get_full_name(),
            contact_phone="13800000000",
        )
        bulletin_submit(actor=staff, bulletin=answer.bulletin)
        review_sign_off(actor=demo_user("lj-dh", "reviewer"), bulletin=answer.bulletin)
        made.append("province call")
    if not Call.objects.filter(title=CITY_CALL).exists():
        call_issue(
            actor=demo_user("lj", "head"),
            title=CITY_CALL,
            theme="年轻干部培养选拔",
            requirements="报送近一年来年轻干部选拔使用的主要做法。",
            deadline_at=now + timedelta(days=2),
            target_mode=TargetMode.ONE_LEVEL,
        )
        made.append("city call")
    if not PointList.objects.filter(title=POINTS).exists():
        today = timezone.localdate()
        points = points_publish(
            actor=demo_user("jd", "head"),
            title=POINTS,
            period_start=today.replace(day=1),
            period_end=today.replace(day=28),
            themes=["基层党组织建设", "干部队伍建设", "人才工作", "组织部门自身建设"],
        )
        first = points.items.order_by("number").first()
        tagged = Bulletin.objects.filter(filing_unit__code="lj-dh", title__startswith="东湖区").first()
        if tagged is not None:
            point_tag(actor=demo_user("lj-dh", "staff"), bulletin=tagged, point=first)
        made.append("reporting points")
    return {"created": made}
