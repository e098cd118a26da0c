"""Category suggestions from the words of a dispute, with the words that decided; a model trained
on the deployment's cases; never overwriting a person's choice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from fengqiao.intake import classify

pytestmark = pytest.mark.django_db

LABELLED = [
    ("张某与妻子感情不和已分居两年，要求离婚并争夺孩子抚养权", "marriage_family.divorce"),
    ("女方父母要求退还彩礼，双方因离婚财产分割发生争执", "marriage_family.divorce"),
    ("丈夫长期家暴，妻子提出离婚", "marriage_family.divorce"),
    ("三兄弟都不愿赡养年迈母亲，老人生活无着", "marriage_family.support"),
    ("儿子拒付父亲赡养费，老人到村委会求助", "marriage_family.support"),
    ("离婚后男方拖欠孩子抚养费一年", "marriage_family.support"),
    ("父亲去世后兄妹因遗产分配产生纠纷", "marriage_family.inheritance"),
    ("老人留有遗嘱，子女对老宅继承有争议", "marriage_family.inheritance"),
    ("婆媳长期不和，经常争吵", "marriage_family.family_conflict"),
    ("妯娌之间因家务分工闹矛盾", "marriage_family.family_conflict"),
    ("邻居新建房屋挡光，影响采光和通风", "neighbour.adjacency"),
    ("相邻两户因院墙外树木遮挡发生争执", "neighbour.adjacency"),
    ("楼下广场舞音响噪音扰民到深夜", "neighbour.noise"),
    ("邻居装修噪音大，周末一早就开工", "neighbour.noise"),
    ("上游村民堵塞水沟，雨季积水淹了稻田", "neighbour.drainage"),
    ("邻居在路口堆放杂物，影响通行和出行", "neighbour.drainage"),
    ("两户因宅基地界址不清发生争吵，推倒界桩", "housing_homestead.homestead_boundary"),
    ("李某建房越界砌墙占用张某宅基地", "housing_homestead.homestead_boundary"),
    ("房屋宅基地边界争议多年未决", "housing_homestead.homestead_boundary"),
    ("房产证登记在哥哥名下，弟弟主张房屋产权", "housing_homestead.house_ownership"),
    ("购买的房屋一直无法过户", "housing_homestead.house_ownership"),
    ("向邻村购买肥猪后拒付货款", "contract.sale"),
    ("卖给对方的稻谷货款迟迟未结清", "contract.sale"),
    ("租户拖欠房租三个月，房东要求退租", "contract.lease"),
    ("租房押金不退，双方发生争执", "contract.lease"),
    ("王某借款五万元写有借条，到期拒不还款", "contract.loan"),
    ("熟人之间借钱不还，利息约定不清", "contract.loan"),
    ("合伙开养殖场，股东之间分红发生分歧", "business.cooperative"),
    ("合作社入股农户要求退股", "business.cooperative"),
    ("购买的种子出芽率低，导致减产", "business.farm_supplies"),
    ("使用农资店的化肥后庄稼烧苗", "business.farm_supplies"),
    ("两人口角后一方被打伤住院，要求赔偿医药费", "damages.personal_injury"),
    ("村民被邻居家的狗咬伤", "damages.personal_injury"),
    ("邻居的牛跑进菜地毁坏庄稼", "damages.property_damage"),
    ("施工车辆砸坏村民围墙，造成财产损失", "damages.property_damage"),
    ("土地承包经营权流转合同到期，双方对承包地归属有争议", "forest_land.land_contract"),
    ("两户争种同一块责任田", "forest_land.land_contract"),
    ("两村因山林界线和林权归属发生纠纷", "forest_land.forest_rights"),
    ("村民擅自砍伐集体林地树木", "forest_land.forest_rights"),
    ("征地补偿款分配不公，村民要求重新核算", "land_requisition.compensation"),
    ("拆迁补偿标准过低，被拆迁户不同意", "land_requisition.compensation"),
    ("安置房迟迟未交付，回迁户不满", "land_requisition.resettlement"),
    ("养殖场排污导致鱼塘大面积死鱼", "environment.water_pollution"),
    ("工厂排放污水污染灌溉水源", "environment.water_pollution"),
    ("砖厂粉尘和废气影响周边居民生活", "environment.air_pollution"),
    ("养猪场猪粪臭味熏人，村民要求搬迁", "environment.livestock"),
    ("包工头拖欠二十名农民工工资", "labour.wage_arrears"),
    ("工程完工后讨薪无果，工钱一直未结", "labour.wage_arrears"),
    ("工人在工地摔伤，要求认定工伤并赔偿", "labour.work_injury"),
    ("公司未给员工缴纳社保，员工要求补缴", "labour.social_insurance"),
    ("网购商品存在质量问题，商家拒绝退货", "consumer.product_quality"),
    ("超市出售假货，消费者要求赔偿", "consumer.product_quality"),
    ("培训机构倒闭，预付卡无法退费", "consumer.service"),
    ("在卫生院手术后出现并发症，家属认为是医疗事故", "medical.malpractice"),
    ("诊所医生误诊延误治疗", "medical.malpractice"),
    ("住院费用清单有争议，患者拒付医疗费", "medical.medical_fee"),
    ("电动车与摩托车相撞发生交通事故，一人受伤", "traffic.traffic_injury"),
    ("小车撞倒行人，双方对赔偿有争议", "traffic.traffic_injury"),
    ("两车刮擦后对定损金额有分歧", "traffic.traffic_property"),
    ("追尾事故车辆撞坏后保险理赔不足", "traffic.traffic_property"),
    ("业主拒交物业费，物业公司停水", "property_mgmt.property_fee"),
    ("小区公共区域车位被占用，电梯维修费分摊争议", "property_mgmt.common_area"),
    ("村委会集体收益分配不透明，村民要求财务公开", "other.village_affairs"),
]


def test_the_lexicon_suggests_the_right_subcategory_and_says_why():
    right = 0
    for text, code in LABELLED:
        suggestion = classify.suggest(text)
        assert suggestion is not None, text
        assert suggestion.words, text  # the words that decided it
        right += suggestion.subcategory == code
    assert len(LABELLED) >= 60
    assert len({code for _t, code in LABELLED}) >= 10
    assert right / len(LABELLED) >= 0.8, right


def test_domain_words_stay_whole():
    assert "土地承包" in classify.tokens("村民土地承包纠纷")
    assert "宅基地" in classify.tokens("宅基地边界问题")


def test_nothing_to_go_on_gives_no_suggestion():
    assert classify.suggest("") is None
    assert classify.suggest("今天天气很好") is None


def test_train_classifier_reports_accuracy_and_the_model_is_used(register_case, settings, tmp_path):
    settings.FENGQIAO_CLASSIFIER_PATH = str(tmp_path / "model.json")
    classify.load_model.cache_clear()
    for index in range(12):
        register_case(title=f"宅基地{index}", description=f"两户砌墙越界第{index}次争执")
        register_case(
            title=f"欠薪{index}",
            description=f"包工头拖欠工钱第{index}回",
            category="labour",
            subcategory="labour.wage_arrears",
        )
    out = StringIO()
    call_command("train_classifier", "--min-cases", "10", "--folds", "4", stdout=out)
    assert "交叉验证准确率" in out.getvalue()
    assert (tmp_path / "model.json").exists()
    classify.load_model.cache_clear()
    suggestion = classify.suggest("包工头一直拖着不给工钱")
    assert suggestion.category == "labour"
    classify.load_model.cache_clear()


def test_the_suggestion_only_offers_and_never_overwrites(client, township_clerk):
    client.force_login(township_clerk)
    offered = client.post(
        reverse("intake:suggest"),
        {"description": "包工头拖欠农民工工资三个月", "category": ""},
    ).content.decode()
    assert "劳动争议纠纷" in offered
    assert "data-suggest-category" in offered  # a button the person may press
    chosen = client.post(
        reverse("intake:suggest"),
        {"description": "包工头拖欠农民工工资三个月", "category": "labour"},
    ).content.decode()
    assert "data-suggest-category" not in chosen  # already chosen: nothing to press
    page = client.get(reverse("intake:register")).content.decode()
    assert 'id="suggest-watch"' in page
