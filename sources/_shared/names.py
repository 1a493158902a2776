"""Curated name parts for realistic simplified-Chinese firm and person names.

Curated rather than Faker: firm names need controlled structure (region, trade name, industry word,
company form) so that near-twins, branches and former names can be built on purpose, and drawing
vectorised index arrays is far faster than calling a name provider 140,000 times.
"""

import numpy as np

#: Characters of trade names (字号); pairs of them give about 30,000 distinct two-character names.
TRADE_CHARS = list(
    "中科创新华信达博远恒泰金宏盛天海智联云数安康健瑞丰鑫源通明东方长城"
    "北京航星光辰宇鼎汇融德润嘉和兴隆昌永锦绣卓越佳禾青松蓝图领先启航"
    "奥立普惠益精诚同舟合众晨曦致远凯旋九州万方四海百川千峰银河极光"
    "腾飞翔鹏鹰龙虎凤麟骏驰远洋峻岭森林江河湖泉石磊晶莹璟瑜琪珂辉煌"
    "元亨利贞乾坤坤泽明德厚朴思齐知行格物致诚信义仁礼睿哲聪慧灵犀"
)
TRADE_CHARS = list(dict.fromkeys(TRADE_CHARS))

#: (GB/T 4754-2017 class code, class name, industry words used in names, weight in the world).
INDUSTRIES: list[tuple[str, str, tuple[str, ...], float]] = [
    ("6513", "应用软件开发", ("科技", "软件技术", "信息技术"), 0.14),
    ("6511", "基础软件开发", ("软件", "软件开发"), 0.03),
    ("6531", "信息系统集成服务", ("系统集成", "信息系统"), 0.05),
    ("6420", "互联网信息服务", ("网络科技", "互联网科技"), 0.06),
    ("6550", "信息技术咨询服务", ("信息咨询", "数据科技"), 0.04),
    ("7320", "工程和技术研究和试验发展", ("科技发展", "技术研究"), 0.04),
    ("7340", "医学研究和试验发展", ("生物科技", "医药科技"), 0.02),
    ("7590", "其他科技推广服务业", ("技术服务", "科技服务"), 0.06),
    ("3911", "计算机整机制造", ("电子科技", "计算机"), 0.02),
    ("3990", "其他电子设备制造", ("电子设备", "智能设备"), 0.02),
    ("2720", "化学药品制剂制造", ("医药", "制药"), 0.01),
    ("5176", "计算机、软件及辅助设备批发", ("商贸", "贸易"), 0.08),
    ("5273", "计算机、软件及辅助设备零售", ("电脑", "数码"), 0.05),
    ("7212", "投资与资产管理", ("投资管理", "资产管理"), 0.04),
    ("7243", "企业管理咨询", ("管理咨询", "企业管理"), 0.08),
    ("7251", "互联网广告服务", ("文化传媒", "广告"), 0.04),
    ("8710", "文化艺术业", ("文化传播", "文化发展"), 0.03),
    ("6210", "正餐服务", ("餐饮管理", "餐饮"), 0.05),
    ("4710", "住宅房屋建筑", ("建设工程", "建筑工程"), 0.03),
    ("7010", "房地产开发经营", ("房地产开发", "置业"), 0.01),
    ("7020", "物业管理", ("物业管理", "物业服务"), 0.02),
    ("5430", "道路货物运输", ("物流", "运输"), 0.02),
    ("8391", "职业技能培训", ("教育科技", "培训"), 0.05),
]

#: Words of individual businesses (个体工商户) by industry class, used instead of company forms.
SHOP_WORDS = ("便利店", "餐馆", "电脑维修部", "文印部", "商店", "工作室")

#: Place words for branch (分公司) names.
BRANCH_PLACES = ("海淀", "中关村", "上地", "西二旗", "五道口", "学院路", "万柳", "苏州街", "温泉")

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN_CHARS = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志宏海波宁欣怡"
    "浩宇子轩梓涵一诺雨桐欣妍博文思远晨阳嘉怡俊杰天佑诗琪若曦铭泽瑾瑜乐天"
)
GIVEN_CHARS = list(dict.fromkeys(GIVEN_CHARS))

#: Homophones and look-alikes used for typos in names (one character replaced).
TYPO_MAP = dict(
    zip(
        "中科创新华信达博远恒泰金宏盛天海智联云数安康瑞丰鑫源通明东方长城京航星辰宇鼎汇融德润嘉和兴",
        "忠料闯心化芯大搏源横太今弘胜添每志连芸树按慷端风金原同名冬芳常成经杭兴晨雨顶会荣得闰佳合星",
        strict=True,
    )
)

#: Simplified → traditional for the characters above that differ (for traditional-script variants).
TRADITIONAL_MAP = {
    simplified: traditional
    for simplified, traditional in zip(
        "华达远恒联云数康丰东长城龙宝发业术网电讯软体车医药环节国际实开区资产务广传贸艺设备药询际营销",
        "華達遠恆聯雲數康豐東長城龍寶發業術網電訊軟體車醫藥環節國際實開區資產務廣傳貿藝設備藥詢際營銷",
        strict=True,
    )
    if simplified != traditional
}


def draw_person_names(rng: np.random.Generator, size: int) -> np.ndarray:
    """Person names: a surname and one or two given-name characters."""
    surnames = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), size)]
    first = np.array(GIVEN_CHARS)[rng.integers(0, len(GIVEN_CHARS), size)]
    second = np.array(GIVEN_CHARS)[rng.integers(0, len(GIVEN_CHARS), size)]
    two_chars = rng.random(size) < 0.7
    given = np.where(two_chars, np.char.add(first, second), first)
    return np.char.add(surnames, given).astype(object)


def draw_trade_names(rng: np.random.Generator, size: int) -> np.ndarray:
    """Trade names (字号) of two characters, a fifth of them four characters long."""
    chars = np.array(TRADE_CHARS)
    two = np.char.add(
        chars[rng.integers(0, len(chars), size)], chars[rng.integers(0, len(chars), size)]
    )
    more = np.char.add(
        chars[rng.integers(0, len(chars), size)], chars[rng.integers(0, len(chars), size)]
    )
    return np.where(rng.random(size) < 0.2, np.char.add(two, more), two).astype(object)
