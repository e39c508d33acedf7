"""Fictional Chinese names and bulletin text for the benchmark data set.

Bodies are assembled from sample sentences grouped by topic, with numbers, months and places
varied, so that a two-character word such as 党建 occurs in a realistic share of bulletins (about
a fifth) and a four-character one such as 乡村振兴 in fewer. All names are invented.
"""

import random

# Characters combined into fictional place names (pairs; never real province names on purpose).
PLACE_FIRST = (
    "江云青河山海临平安宁长永清泰华兴荣嘉昌丰瑞汇金玉湘滨岳"  # keep lines short
    "松柳桃石白南北东西高新德信和乐福康文武明光春秋月星龙凤鹤鹿桂兰梅竹"
)
PLACE_SECOND = (
    "东西南北川源泽州阳宁原丘岭湖溪城陵峰林水台"  # keep lines short
    "田坪塘桥门山江河海口关沙泉谷坝滩洲湾屯庄店堡寨营亭镇乡安平丰"
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国文斌宇浩凯健"

TOPICS = {
    "party": (
        "基层党建",
        [
            "{u}坚持以党建引领基层治理，推行“网格党支部+楼栋党小组”模式，共划分网格{n}个。",
            "今年以来，{u}把抓基层党建作为主责主业，建立书记抓党建项目清单{n}项。",
            "{u}开展党建工作述职评议考核，对{n}名基层党组织书记逐一点评，推动问题整改。",
            "通过党建联盟整合资源，{u}组织{n}个机关党组织与社区结对共建。",
            "{u}持续整顿软弱涣散基层党组织，{m}月底前完成整顿{n}个。",
            "{u}推行党员积分管理，累计开展志愿服务{n}场次，服务群众{k}人次。",
        ],
    ),
    "cadre": (
        "干部工作",
        [
            "{u}坚持事业为上、以事择人，{m}月份选拔任用年轻干部{n}名。",
            "{u}建立干部实绩档案，对{n}名科级干部开展近距离考察。",
            "{u}组织{n}名年轻干部到信访、征迁一线墩苗历练，为期{m}个月。",
            "{u}完善干部考核评价机制，把重大任务中的表现作为评价干部的重要依据。",
            "{u}开展干部教育培训{n}期，培训干部{k}人次，实现科级干部全覆盖。",
        ],
    ),
    "talent": (
        "人才工作",
        [
            "{u}实施人才引进计划，今年已引进高层次人才{n}名、急需紧缺人才{k}名。",
            "{u}设立人才服务专员{n}名，为引进人才提供安家、子女入学等一站式服务。",
            "{u}搭建校地合作平台，与{n}所高校签订人才培养协议。",
            "{u}建成人才驿站{n}个，为来访人才提供免费住宿{k}人次。",
        ],
    ),
    "rural": (
        "乡村振兴",
        [
            "{u}选派驻村第一书记{n}名，助力乡村振兴，帮助村集体增收{k}万元。",
            "围绕乡村振兴，{u}培育村级后备力量{n}名，村干部队伍结构明显优化。",
            "{u}推动乡村振兴与村级集体经济发展相结合，{m}月底前消除薄弱村{n}个。",
            "{u}组织{n}个乡镇开展乡村振兴擂台比武，现场观摩项目{k}个。",
        ],
    ),
    "education": (
        "党员教育",
        [
            "{u}运用远程教育平台组织党员集中学习{n}次，参学党员{k}人次。",
            "{u}开展“三会一课”规范化建设，抽查{n}个党支部的会议记录。",
            "{u}发展党员{n}名，其中35岁以下{k}名，党员队伍结构持续改善。",
            "{u}组织流动党员返乡座谈会{n}场，收集意见建议{k}条。",
        ],
    ),
    "problem": (
        "情况问题",
        [
            "调研发现，部分村级组织存在议事程序不规范的问题，{u}已督促{n}个村整改。",
            "一些基层干部反映会议多、报表多，{u}梳理出可精简事项{n}项。",
            "部分社区工作者待遇偏低、流失较多，{m}月以来{u}流失{n}人。",
            "少数单位存在重部署轻落实现象，{u}对{n}个单位进行了通报。",
        ],
    ),
    "incident": (
        "突发事件",
        [
            "{m}月{d}日，{u}辖区突降暴雨，当地党组织迅速组织{n}名党员干部转移群众{k}人。",
            "{m}月{d}日凌晨，{u}一处厂房发生火情，现场成立临时党支部，组织{n}名党员参与处置。",
            "{m}月{d}日，{u}某村发生山体滑坡，驻村工作队和{n}名党员第一时间赶赴现场。",
            "受强降雪影响，{u}{n}条道路中断，各级党组织组织党员突击队{k}支开展抢通。",
        ],
    ),
}

GENERAL = [
    "下一步，{u}将认真总结经验，进一步健全长效机制。",
    "据统计，全年共召开专题会议{n}次，研究解决问题{k}个。",
    "群众对此反映良好，满意率达到百分之{n}。",
    "该做法已在全{l}推广，覆盖{n}个乡镇（街道）。",
    "{u}主要负责同志多次深入一线调研，现场解决实际困难{n}个。",
    "目前，相关工作正在有序推进中，预计{m}月底前全部完成。",
    "这一做法得到了上级组织部门的肯定。",
    "截至{m}月底，已累计投入资金{k}万元。",
    "同时，{u}注重从群众反映强烈的问题入手，建立问题台账{n}本。",
    "此项工作纳入年度目标考核，占考核总分的百分之{n}。",
]

TITLE_TEMPLATES = [
    "{s}：{t}工作取得新进展",
    "{s}多措并举推进{t}",
    "{s}创新开展{t}工作的做法",
    "{s}{t}工作中存在的问题及建议",
    "{s}扎实推进{t}见成效",
    "关于{s}{t}情况的报告",
    "{s}以“三个一”抓实{t}",
]

INCIDENT_TITLES = [
    "{s}党组织迅速应对强降雨灾情",
    "{s}及时处置一起突发火情",
    "{s}全力做好山体滑坡抢险救援工作",
    "{s}党员突击队连夜抢通受阻道路",
]

SOURCE_TEXT = [
    "信息来源：本部门组织科实地调研，已与相关乡镇核实。",
    "信息来源：县委办公室通报，已电话核实。",
    "信息来源：基层报送材料，经办公室逐项核对。",
    "信息来源：现场工作组报告，数字经统计部门核对。",
]

TOPIC_WEIGHTS = {"party": 14, "cadre": 16, "talent": 12, "rural": 10, "education": 14, "problem": 12}


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def place_names(rng: random.Random, count: int, suffixes: tuple[str, ...]) -> list[str]:
    """`count` distinct two-character fictional names, each with one of `suffixes`."""
    pairs = [a + b for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
    rng.shuffle(pairs)
    if count > len(pairs):
        raise ValueError("not enough fictional names")
    return [pairs[i] + rng.choice(suffixes) for i in range(count)]


def _expand(templates, rng, unit_word, variants):
    """Pre-fill each template `variants` times with numbers, months and days (COPY-escaped)."""
    out = []
    for template in templates:
        for _ in range(variants):
            out.append(
                template.format(
                    u=unit_word,
                    n=rng.randint(2, 98),
                    k=rng.randint(100, 9800),
                    m=rng.randint(1, 12),
                    d=rng.randint(1, 28),
                    l=rng.choice(("县", "市", "区")),
                )
            )
    return out


class TextMaker:
    """Builds titles and bodies quickly from pre-assembled paragraphs (four sentences each)."""

    WORDS = ("我县", "我区", "我市", "我省")

    def __init__(self, seed: int = 7, variants: int = 12, paragraphs: int = 400):
        rng = random.Random(seed)
        general = {word: _expand(GENERAL, rng, word, variants) for word in self.WORDS}
        # paragraphs[topic][word]: 70 % topic sentences, 30 % general ones; the unit word in a
        # sentence is generic ("我县", "我市", …), titles carry the unit's name.
        self.paragraphs = {}
        for topic, (_, sentences) in TOPICS.items():
            self.paragraphs[topic] = {}
            for word in self.WORDS:
                pool = _expand(sentences, rng, word, variants)
                self.paragraphs[topic][word] = [
                    "".join(rng.choice(pool) if rng.random() < 0.7 else rng.choice(general[word]) for _ in range(4))
                    for _ in range(paragraphs)
                ]
        self.topics = list(TOPIC_WEIGHTS)
        self.topic_weights = list(TOPIC_WEIGHTS.values())

    def pick_topic(self, rng: random.Random) -> str:
        return rng.choices(self.topics, self.topic_weights)[0]

    def title(self, rng: random.Random, short_name: str, topic: str) -> str:
        if topic == "incident":
            return rng.choice(INCIDENT_TITLES).format(s=short_name)
        return rng.choice(TITLE_TEMPLATES).format(s=short_name, t=TOPICS[topic][0])

    def body(self, rng: random.Random, unit_word: str, topic: str) -> str:
        """300–1,500 characters (most near 500) in paragraphs; newlines escaped for COPY text."""
        pool = self.paragraphs[topic][unit_word]
        # A paragraph is ~100 characters: 3 to 15 of them (mean ~5).
        count = 3 + min(int(rng.expovariate(1 / 2)), 12)
        return "\\n".join(rng.choices(pool, k=count))

    def source(self, rng: random.Random) -> str:
        return rng.choice(SOURCE_TEXT)
