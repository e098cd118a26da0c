"""The default dispute categories (DOMAIN §6.5, union of official justice-bureau releases) and a
few subcategories each; seeded by a data migration, editable in the admin afterwards."""

from typing import Any

DEFAULT_CATEGORIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "marriage_family",
        "婚姻家庭纠纷",
        [
            ("divorce", "离婚纠纷"),
            ("support", "赡养抚养扶养纠纷"),
            ("inheritance", "继承纠纷"),
            ("family_conflict", "家庭矛盾"),
        ],
    ),
    (
        "neighbour",
        "邻里纠纷",
        [("adjacency", "相邻关系纠纷"), ("noise", "噪音扰民"), ("drainage", "排水通行纠纷")],
    ),
    (
        "housing_homestead",
        "房屋宅基地纠纷",
        [("homestead_boundary", "宅基地界址纠纷"), ("house_ownership", "房屋权属纠纷")],
    ),
    (
        "contract",
        "合同纠纷",
        [("sale", "买卖合同纠纷"), ("lease", "租赁合同纠纷"), ("loan", "民间借贷纠纷")],
    ),
    ("business", "生产经营纠纷", [("cooperative", "合作经营纠纷"), ("farm_supplies", "农资纠纷")]),
    (
        "damages",
        "损害赔偿纠纷",
        [("personal_injury", "人身损害赔偿"), ("property_damage", "财产损害赔偿")],
    ),
    (
        "forest_land",
        "山林土地纠纷",
        [("land_contract", "土地承包纠纷"), ("forest_rights", "山林权属纠纷")],
    ),
    (
        "land_requisition",
        "征地拆迁纠纷",
        [("compensation", "征收补偿纠纷"), ("resettlement", "安置纠纷")],
    ),
    (
        "environment",
        "环境污染纠纷",
        [
            ("water_pollution", "水污染"),
            ("air_pollution", "大气污染"),
            ("livestock", "畜禽养殖污染"),
        ],
    ),
    (
        "labour",
        "劳动争议纠纷",
        [
            ("wage_arrears", "拖欠工资"),
            ("work_injury", "工伤赔偿"),
            ("social_insurance", "社会保险"),
        ],
    ),
    ("consumer", "消费纠纷", [("product_quality", "产品质量"), ("service", "服务消费")]),
    ("medical", "医疗纠纷", [("malpractice", "医疗损害"), ("medical_fee", "医疗费用")]),
    (
        "traffic",
        "道路交通事故纠纷",
        [("traffic_injury", "交通事故人身损害"), ("traffic_property", "交通事故财产损失")],
    ),
    (
        "property_mgmt",
        "物业纠纷",
        [("property_fee", "物业费纠纷"), ("common_area", "共有部位纠纷")],
    ),
    ("tourism", "旅游纠纷", []),
    ("ip", "知识产权纠纷", []),
    ("internet", "互联网纠纷", []),
    ("other", "其他纠纷", [("village_affairs", "村务管理纠纷")]),
]


def ensure_default_categories(category_model: Any) -> None:
    """Create any missing default category (idempotent); used by the data migration and by tests,
    whose transactional flushes empty the table that the migration filled."""
    for order, (code, name, children) in enumerate(DEFAULT_CATEGORIES, start=1):
        parent, _ = category_model.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
        for child_order, (child_code, child_name) in enumerate(children, start=1):
            category_model.objects.get_or_create(
                code=f"{code}.{child_code}",
                defaults={"name": child_name, "parent": parent, "order": child_order},
            )
