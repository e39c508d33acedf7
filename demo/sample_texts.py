"""Fictional Chinese bulletin texts for the demo drafts (demo/drafts.py).

Every place, person and number is invented. `{unit}` is replaced by a unit's short name
(e.g. 东湖区), `{town}` by a town name, so the same sample reads naturally for any county.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SampleText:
    category: str  # Category.code
    title: str
    body: str
    place: str = ""
    source: str = ""
    occurred_hours_ago: int | None = None  # for incidents: when it happened, relative to seeding

    def render(self, *, unit: str, town: str = "青石镇") -> dict:
        """The sample's fields with the unit and town filled in."""
        fill = {"unit": unit, "town": town}
        return {
            "title": self.title.format(**fill),
            "body": self.body.format(**fill),
            "place": self.place.format(**fill),
            "source": self.source.format(**fill),
        }


TOWNS = ("青石镇", "柳岸街道", "桃花乡", "河口镇", "云岭乡", "新塘街道")

CONTACTS = (
    ("王晓燕", "13812345678"),
    ("李建国", "0571-87654321"),
    ("陈思远", "13967891234"),
    ("赵敏", "010-12345678-123"),
)

SAMPLES: tuple[SampleText, ...] = (
    SampleText(
        category="news",
        title="{unit}“党建+网格”模式打通服务群众最后一米",
        body=(
            "今年以来，{unit}委组织部以党建引领基层治理为抓手，在全区推行“党建+网格”工作模式，"
            "将全区划分为186个网格，每个网格明确1名党员网格长、2至3名党员志愿者，"
            "实现党的组织和工作全覆盖。\n"
            "一是建强网格党组织。按照“支部建在网格上”的思路，在{town}等重点区域成立网格党支部23个，"
            "选派机关干部担任网格指导员，推动问题在网格中发现、在网格中解决。\n"
            "二是健全运行机制。建立“网格员吹哨、部门报到”工作机制，网格员每周走访不少于20户，"
            "收集的问题分类录入信息平台，一般问题3个工作日内答复，复杂问题7个工作日内办结。\n"
            "三是强化考核激励。将网格工作情况纳入党员积分管理和年度述职评议，"
            "今年以来共评选“红旗网格”15个，激发了党员参与基层治理的积极性。"
            "截至目前，各网格累计收集群众诉求1372件，办结率达96.5%。"
        ),
        place="{unit}{town}",
        source="{unit}委组织部组织科提供，数据经区网格化服务中心台账核对。",
    ),
    SampleText(
        category="practice",
        title="{unit}探索“三联”机制加强年轻干部实践锻炼",
        body=(
            "为解决年轻干部基层经历不足、处理复杂问题能力不强等问题，{unit}委组织部探索建立"
            "“岗位练、导师带、项目考”三联机制，着力提升年轻干部的履职本领。\n"
            "岗位练。今年分两批选派45名35岁以下机关干部到{town}等乡镇（街道）和信访、"
            "应急等一线岗位挂职锻炼，时间不少于一年，挂职期间与原单位工作脱钩。\n"
            "导师带。为每名挂职干部配备1名乡镇党委班子成员担任导师，每月至少开展1次谈心谈话，"
            "帮助年轻干部熟悉群众工作方法。\n"
            "项目考。每名挂职干部至少牵头1个民生项目，组织部门会同派出单位实行项目化考核，"
            "考核结果作为评先评优、选拔任用的重要参考。目前已有6名表现突出的年轻干部得到提拔使用。"
        ),
        place="{unit}",
        source="{unit}委组织部干部科提供，经与挂职干部花名册和考核档案核对。",
    ),
    SampleText(
        category="problem",
        title="{unit}部分村级后备力量储备不足问题值得关注",
        body=(
            "近期，{unit}委组织部对全区（县）村级后备力量情况开展专题调研，发现部分村后备干部"
            "数量不足、结构不优，需引起重视。\n"
            "一是数量不足。全区（县）112个行政村中，有17个村后备干部少于2名，其中{town}有4个村"
            "仅有1名后备干部。\n"
            "二是年龄偏大。后备干部平均年龄46.3岁，35岁以下的仅占18.2%。\n"
            "三是能力偏弱。具有大专以上学历的仅占27.5%，懂电商、会经营的人才更为缺乏。\n"
            "下一步，将通过“回引一批、培养一批、选派一批”的办法，力争年底前每村至少储备2名"
            "35岁左右的后备干部。"
        ),
        place="{unit}",
        source="{unit}委组织部组织科专题调研，数据来自各乡镇上报台账并经抽查10个村核实。",
    ),
    SampleText(
        category="suggestion",
        title="关于进一步规范村级党组织换届后运行管理的建议",
        body=(
            "{unit}委组织部在村级党组织换届后回头看中发现，部分村存在议事规则不落实、"
            "“四议两公开”程序走过场等问题。为此建议：\n"
            "一、制定村级党组织运行规范清单，明确议事决策、财务公开、民主评议等18项具体要求。\n"
            "二、建立县乡两级联合督查机制，每半年对村级党组织运行情况开展一次全覆盖督查。\n"
            "三、将规范运行情况纳入村党组织书记年度述职评议考核，考核结果与绩效报酬挂钩。\n"
            "以上建议供参考。"
        ),
        place="{unit}",
        source="根据{unit}委组织部换届回头看督查组报告整理，已与督查记录核对。",
    ),
    SampleText(
        category="incident",
        title="{unit}{town}突发山洪灾害 党员干部连夜组织群众转移",
        body=(
            "今日凌晨3时许，受持续强降雨影响，{unit}{town}发生山洪灾害，部分道路中断、"
            "低洼地带房屋进水。灾情发生后，镇党委立即启动应急预案，组织党员干部68人组成"
            "12支突击队，连夜挨家挨户敲门，转移受威胁群众217户563人，目前无人员伤亡。\n"
            "{unit}委组织部第一时间发出通知，要求各级党组织和广大党员在防汛救灾一线发挥作用，"
            "并派出工作组赶赴现场督导。目前，受灾群众已全部妥善安置在镇中心学校等6个安置点，"
            "生活物资保障到位。下一步情况将及时续报。"
        ),
        place="{unit}{town}",
        source="{town}党委值班室电话报告，经{unit}委组织部工作组现场核实转移人数。",
        occurred_hours_ago=6,
    ),
    SampleText(
        category="news",
        title="{unit}开展“三会一课”质量提升专项行动",
        body=(
            "为推动基层党组织生活规范化，{unit}委组织部近期在全区（县）开展“三会一课”质量提升"
            "专项行动。行动采取支部自查、乡镇党委检查、组织部抽查相结合的方式，重点检查组织生活"
            "记录是否完整、主题是否鲜明、党员参与是否充分。目前已抽查基层党支部86个，"
            "发现并督促整改问题41个，评选优秀主题党日案例12个并在全区（县）推广。"
        ),
        place="{unit}",
        source="{unit}委组织部组织科提供，抽查数据与检查记录核对无误。",
    ),
    SampleText(
        category="practice",
        title="{unit}推行党员积分管理激发基层党员内生动力",
        body=(
            "{unit}在{town}试点基础上，在全区（县）农村党支部推行党员积分管理。积分分为基本分、"
            "贡献分、奖励分和扣减分四类，每季度公示一次，年终积分作为评先评优和民主评议党员的重要依据。"
            "推行以来，党员参加组织生活的到会率由82%提高到96%，主动认领服务岗位的党员达1326名。"
        ),
        place="{unit}{town}",
        source="{town}党委提供试点数据，经{unit}委组织部组织科核对季度公示表。",
    ),
)
