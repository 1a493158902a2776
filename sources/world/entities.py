"""Reference values of the world: districts, firm types, statuses."""

#: Beijing districts: area code → name. Haidian (110108) is the core area of the plan.
DISTRICTS = {
    "110108": "海淀区",
    "110105": "朝阳区",
    "110101": "东城区",
    "110102": "西城区",
    "110106": "丰台区",
    "110107": "石景山区",
    "110114": "昌平区",
    "110115": "大兴区",
}
HAIDIAN = "110108"

#: Share of firms first registered in each district (the registry covers Haidian's firms and the
#: firms of other districts that deal with Haidian programmes or moved in or out).
DISTRICT_WEIGHTS = {
    "110108": 0.80,
    "110105": 0.06,
    "110101": 0.02,
    "110102": 0.03,
    "110106": 0.03,
    "110107": 0.01,
    "110114": 0.03,
    "110115": 0.02,
}

#: Firm type class → (registry type labels, share of firms, independent legal person?).
FIRM_TYPES = {
    "llc": (
        ("有限责任公司(自然人投资或控股)", "有限责任公司(法人独资)", "其他有限责任公司"),
        0.75,
        True,
    ),
    "joint_stock": (("股份有限公司(非上市、自然人投资或控股)", "股份有限公司(上市)"), 0.05, True),
    "branch": (("有限责任公司分公司(自然人投资或控股)", "分公司"), 0.05, False),
    "sole": (("个人独资企业",), 0.03, False),
    "partnership": (("有限合伙企业", "普通合伙企业"), 0.02, False),
    "individual": (("个体工商户",), 0.10, False),
}

#: Registration statuses. 存续 and 在业 both mean operating.
OPERATING = ("存续", "在业")
TERMINAL_STATUSES = {"吊销": 0.03, "注销": 0.08, "迁出": 0.01}


def tax_office(area_code: str) -> str:
    """Name of the district tax bureau of an area, as the tax feed writes it."""
    return f"国家税务总局北京市{DISTRICTS[area_code]}税务局"
