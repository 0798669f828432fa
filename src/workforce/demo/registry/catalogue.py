"""The facts the demo-data generator draws from: sectors, Panzhihua's large employers, names and places.

Plain data, no Django. Industry codes are GB/T 4754-2017 divisions (大类) and occupation codes come from
《职业分类大典（2022年版）》; ``demo/tests/test_registry.py`` checks every code against the loaded reference tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workforce.registry.choices import Education, NewEmploymentGroup, Ownership

# Education levels in the order of ``Education``, used for the weight lists of a sector.
EDUCATION_ORDER = [Education.PRIMARY, Education.JUNIOR, Education.SENIOR, Education.VOCATIONAL,
                   Education.COLLEGE, Education.BACHELOR, Education.POSTGRADUATE]

EDUCATION_PROFILES = {
    "soe": [1, 10, 18, 30, 25, 14, 2],
    "industry": [6, 38, 22, 20, 10, 4, 0],
    "logistics": [3, 35, 30, 17, 12, 3, 0],
    "care": [12, 50, 20, 12, 5, 1, 0],
    "retail": [3, 35, 28, 20, 11, 3, 0],
    "health": [2, 22, 25, 26, 16, 9, 0],
    "office": [0, 10, 25, 20, 30, 14, 1],
}

# §3: the occupations whose workers belong to the new-forms-of-employment groups.
NEW_EMPLOYMENT_OCCUPATIONS = {
    "4-02-02-02": NewEmploymentGroup.TRUCK_DRIVER,
    "4-02-07-08": NewEmploymentGroup.COURIER,
    "4-10-01-05": NewEmploymentGroup.CAREGIVER,
    "4-14-01-02": NewEmploymentGroup.CAREGIVER,
    "4-10-01-06": NewEmploymentGroup.DOMESTIC_WORKER,
    "4-01-02-03": NewEmploymentGroup.SHOP_ASSISTANT,
    "4-10-08-01": NewEmploymentGroup.DELIVERY_RIDER,
    "4-06-02-01": NewEmploymentGroup.ESTATE_AGENT,
    "4-07-05-01": NewEmploymentGroup.SECURITY_GUARD,
}

# Occupations where one gender clearly dominates, overriding the sector's share of men.
OCCUPATION_MALE_SHARE = {
    "4-10-01-06": 0.05, "4-10-01-05": 0.15, "4-14-01-02": 0.15, "4-14-01-01": 0.3, "4-10-01-03": 0.03,
    "4-10-01-01": 0.05, "4-01-02-03": 0.25, "4-01-02-04": 0.1, "4-09-08-01": 0.25, "4-02-07-08": 0.85,
    "4-10-08-01": 0.9, "4-02-02-02": 0.97, "4-07-05-01": 0.9, "6-31-03-01": 0.4, "6-31-03-02": 0.45,
    "4-03-02-05": 0.3, "4-03-01-02": 0.1, "6-31-05-00": 0.45, "4-14-02-02": 0.3, "4-14-06-02": 0.3,
}


@dataclass(frozen=True)
class Sector:
    """A kind of employer: its industry division, who works there and how its staff are employed."""

    key: str
    industry: str  # GB/T 4754 division code
    occupations: tuple[tuple[str, int], ...]  # (occupation code, weight)
    male_share: float
    mean_age: float = 38
    age_spread: float = 10
    local_share: float = 0.7  # share of staff with a Panzhihua ID number
    rural_shift: float = 0.0  # added to the rural-hukou probability of the birthplace
    education: str = "industry"
    certificate_rate: float = 0.35
    contract_rate: float = 0.9  # labour contract signed, for a private employer
    suffixes: tuple[str, ...] = ()  # name endings of small firms of this sector
    small_weight: float = 0.0  # share of the small private firms in this sector
    districts: tuple[str, ...] = ()  # where its small firms are; all five when empty


def _occ(*pairs) -> tuple[tuple[str, int], ...]:
    return tuple(pairs)


SECTORS: dict[str, Sector] = {sector.key: sector for sector in [
    Sector("steel", "31", _occ(
        ("6-17-01-02", 5), ("6-17-01-05", 3), ("6-17-01-06", 7), ("6-17-01-07", 4), ("6-17-02-01", 3),
        ("6-17-02-02", 8), ("6-17-02-03", 5), ("6-17-09-01", 2), ("6-17-09-02", 8), ("6-17-09-05", 3),
        ("6-17-09-07", 3), ("6-10-02-02", 3), ("6-31-01-01", 5), ("6-31-01-02", 6), ("6-31-01-03", 6),
        ("6-18-02-04", 3), ("6-30-05-01", 3), ("6-30-05-02", 2), ("6-31-03-01", 3), ("6-31-03-02", 2),
        ("6-28-01-01", 2), ("6-28-01-14", 2), ("6-31-06-00", 2), ("6-31-04-00", 1), ("6-31-01-04", 2),
        ("2-02-05-01", 2), ("2-02-05-02", 1), ("2-02-05-04", 1)),
        male_share=0.8, mean_age=41, age_spread=9, local_share=0.85, rural_shift=-0.12, education="soe",
        certificate_rate=0.72, contract_rate=0.98),
    Sector("vanadium", "31", _occ(
        ("6-17-04-01", 4), ("6-17-04-02", 6), ("6-17-04-03", 4), ("6-17-04-04", 5), ("6-17-04-05", 8),
        ("6-17-07-03", 4), ("6-11-01-03", 4), ("6-11-02-01", 3), ("6-31-03-01", 4), ("6-31-01-02", 4),
        ("6-31-01-03", 4), ("6-31-05-00", 2), ("2-02-05-01", 2), ("2-02-05-09", 1)),
        male_share=0.72, mean_age=40, age_spread=9, local_share=0.85, rural_shift=-0.12, education="soe",
        certificate_rate=0.7, contract_rate=0.98),
    Sector("titanium", "32", _occ(
        ("6-17-07-03", 10), ("6-11-01-02", 4), ("6-11-01-03", 4), ("6-11-02-01", 4), ("6-31-03-01", 3),
        ("6-31-01-02", 3), ("6-31-01-03", 3), ("6-18-02-04", 2), ("2-02-05-01", 1)),
        male_share=0.75, mean_age=39, age_spread=9, local_share=0.8, rural_shift=-0.1, education="soe",
        certificate_rate=0.66, contract_rate=0.97),
    Sector("iron_mining", "08", _occ(
        ("6-16-01-01", 8), ("6-16-01-02", 4), ("6-16-01-03", 5), ("6-16-01-14", 3), ("6-16-01-15", 8),
        ("6-16-01-16", 3), ("6-16-01-17", 3), ("6-29-02-06", 3), ("6-29-02-07", 2), ("6-30-05-05", 4),
        ("6-30-01-00", 4), ("6-16-01-10", 2), ("6-16-01-13", 2), ("6-31-01-02", 3), ("6-31-01-03", 3),
        ("2-02-03-02", 1), ("2-02-03-04", 1)),
        male_share=0.87, mean_age=42, age_spread=9, local_share=0.72, rural_shift=0.05,
        certificate_rate=0.55, contract_rate=0.9, suffixes=("矿业有限公司", "铁矿", "选矿厂"), small_weight=4,
        districts=("510403", "510421", "510422", "510411")),
    Sector("coal", "06", _occ(
        ("6-16-01-04", 6), ("6-16-01-05", 8), ("6-16-01-06", 5), ("6-16-01-07", 3), ("6-16-01-08", 3),
        ("6-16-01-09", 3), ("6-16-01-11", 2), ("6-16-01-12", 1), ("6-10-02-01", 3), ("6-10-02-02", 3),
        ("6-31-01-03", 3), ("6-31-01-02", 2), ("2-02-03-03", 1)),
        male_share=0.92, mean_age=43, age_spread=8, local_share=0.7, rural_shift=0.1,
        certificate_rate=0.55, contract_rate=0.9, suffixes=("煤业有限公司", "煤矿"), small_weight=1.5,
        districts=("510403", "510411", "510422")),
    Sector("chemical", "26", _occ(
        ("6-11-01-01", 4), ("6-11-01-02", 8), ("6-11-01-03", 6), ("6-11-02-01", 6), ("6-11-02-07", 3),
        ("6-11-02-10", 3), ("6-31-03-01", 4), ("6-28-03-03", 2), ("6-31-05-00", 3), ("6-31-01-02", 3),
        ("6-31-01-03", 3), ("6-11-01-06", 1)),
        male_share=0.74, mean_age=39, age_spread=9, local_share=0.72, certificate_rate=0.55, contract_rate=0.93,
        suffixes=("钛业有限公司", "钛白粉有限公司", "化工有限公司"), small_weight=3,
        districts=("510402", "510411", "510421", "510422")),
    Sector("power", "44", _occ(
        ("6-28-01-09", 5), ("6-28-01-05", 4), ("6-28-01-06", 4), ("6-28-01-14", 5), ("6-28-01-15", 3),
        ("6-29-02-12", 5), ("6-31-01-08", 3), ("6-31-01-07", 2), ("6-28-01-10", 2), ("6-28-01-12", 1),
        ("6-29-02-11", 2)),
        male_share=0.78, mean_age=40, local_share=0.8, rural_shift=-0.1, education="soe",
        certificate_rate=0.7, contract_rate=0.96, suffixes=("水电开发有限公司", "光伏发电有限公司"), small_weight=0.8),
    Sector("water", "46", _occ(("6-28-03-01", 5), ("6-28-03-02", 4), ("4-09-07-01", 4), ("6-28-03-04", 3),
                               ("6-31-01-03", 2), ("6-31-03-01", 1)),
           male_share=0.7, mean_age=41, local_share=0.85, rural_shift=-0.05, education="soe",
           certificate_rate=0.5, contract_rate=0.95, suffixes=("水务有限公司", "环保科技有限公司"), small_weight=0.6),
    Sector("building_materials", "30", _occ(
        ("6-15-01-01", 6), ("6-15-01-06", 4), ("6-15-01-02", 3), ("6-15-01-03", 2), ("6-15-06-01", 2),
        ("6-15-06-02", 2), ("6-15-06-03", 2), ("6-31-01-02", 2), ("6-31-05-00", 2), ("6-30-01-00", 2)),
        male_share=0.8, mean_age=42, certificate_rate=0.45, contract_rate=0.88,
        suffixes=("水泥有限公司", "建材有限公司", "耐火材料有限公司", "商品混凝土有限公司"), small_weight=3),
    Sector("metalwork", "33", _occ(
        ("6-18-01-01", 5), ("6-18-01-02", 3), ("6-18-01-11", 3), ("6-18-02-01", 3), ("6-18-02-04", 6),
        ("6-18-03-03", 2), ("6-20-01-01", 3), ("6-31-01-10", 3), ("6-18-01-10", 2), ("6-18-04-06", 1)),
        male_share=0.85, mean_age=40, certificate_rate=0.5, contract_rate=0.87,
        suffixes=("机械制造有限公司", "金属结构有限公司", "钢结构工程有限公司", "铸造有限公司"), small_weight=6),
    Sector("repair", "43", _occ(("6-31-01-10", 5), ("6-31-01-09", 5), ("6-20-03-01", 3), ("6-18-02-04", 3),
                                ("6-31-01-02", 3), ("6-31-01-03", 2)),
           male_share=0.9, mean_age=39, certificate_rate=0.5, contract_rate=0.85,
           suffixes=("机电设备维修有限公司", "冶金设备检修有限公司", "工程机械修理厂"), small_weight=4),
    Sector("construction", "47", _occ(
        ("6-29-01-01", 6), ("6-29-01-03", 6), ("6-29-01-04", 6), ("6-29-01-05", 4), ("6-29-04-01", 3),
        ("6-29-03-01", 2), ("6-29-03-02", 2), ("6-29-02-15", 2), ("6-30-05-02", 2), ("6-18-02-04", 3),
        ("6-29-02-08", 1), ("6-31-06-00", 1), ("6-29-01-06", 1)),
        male_share=0.9, mean_age=43, age_spread=10, local_share=0.55, rural_shift=0.2, certificate_rate=0.32,
        contract_rate=0.82, suffixes=("建筑工程有限公司", "建设工程有限公司", "建筑劳务有限公司"), small_weight=11),
    Sector("civil_engineering", "48", _occ(
        ("6-29-02-03", 6), ("6-29-02-05", 4), ("6-29-02-06", 2), ("6-29-02-07", 2), ("6-30-05-05", 5),
        ("6-29-01-03", 4), ("6-29-01-04", 4), ("6-29-02-04", 3), ("6-29-03-01", 2), ("6-29-02-12", 1),
        ("6-31-06-00", 1)),
        male_share=0.92, mean_age=42, local_share=0.55, rural_shift=0.18, certificate_rate=0.35,
        contract_rate=0.84, suffixes=("路桥工程有限公司", "市政工程有限公司", "水利水电工程有限公司"), small_weight=5),
    Sector("installation", "49", _occ(("6-29-03-01", 5), ("6-29-03-02", 5), ("6-29-03-03", 3), ("6-29-03-04", 3),
                                      ("6-29-03-05", 2), ("6-31-01-03", 3), ("6-18-02-04", 2)),
           male_share=0.9, mean_age=40, local_share=0.6, rural_shift=0.1, certificate_rate=0.45,
           contract_rate=0.86, suffixes=("安装工程有限公司", "机电安装有限公司"), small_weight=2.5),
    Sector("decoration", "50", _occ(("6-29-04-01", 8), ("6-29-04-02", 3), ("6-29-04-03", 2), ("6-29-02-08", 2)),
           male_share=0.85, mean_age=41, local_share=0.55, rural_shift=0.2, certificate_rate=0.25,
           contract_rate=0.78, suffixes=("装饰工程有限公司", "装修设计有限公司"), small_weight=3),
    Sector("road_freight", "54", _occ(("4-02-02-02", 14), ("4-02-02-04", 2), ("4-02-02-05", 2), ("4-02-05-01", 3),
                                      ("4-02-05-04", 2), ("4-12-01-01", 2)),
           male_share=0.9, mean_age=41, age_spread=9, local_share=0.62, rural_shift=0.15, education="logistics",
           certificate_rate=0.22, contract_rate=0.82, suffixes=("物流有限公司", "运输有限公司", "货运有限公司"),
           small_weight=8),
    Sector("bus", "54", _occ(("4-02-02-01", 12), ("4-02-02-03", 3), ("4-02-02-05", 2), ("4-12-01-01", 2)),
           male_share=0.8, mean_age=44, age_spread=8, local_share=0.9, rural_shift=-0.1, education="logistics",
           certificate_rate=0.3, contract_rate=0.98),
    Sector("warehousing", "59", _occ(("4-02-06-01", 5), ("4-02-06-02", 4), ("4-02-05-01", 6), ("4-02-06-03", 2),
                                     ("4-02-02-02", 3), ("4-02-06-05", 1)),
           male_share=0.75, mean_age=38, local_share=0.65, rural_shift=0.1, education="logistics",
           certificate_rate=0.2, contract_rate=0.86, suffixes=("仓储有限公司", "供应链管理有限公司", "物流园有限公司"),
           small_weight=2.5),
    Sector("courier", "60", _occ(("4-02-07-08", 14), ("4-02-07-09", 4), ("4-02-07-11", 1), ("4-02-02-02", 1)),
           male_share=0.8, mean_age=32, age_spread=7, local_share=0.6, rural_shift=0.15, education="logistics",
           certificate_rate=0.1, contract_rate=0.8, suffixes=("快递服务有限公司", "速递有限公司"), small_weight=2.5),
    Sector("delivery_platform", "64", _occ(("4-10-08-01", 20), ("4-10-08-02", 1), ("4-01-06-02", 1)),
           male_share=0.88, mean_age=31, age_spread=7, local_share=0.6, rural_shift=0.12, education="logistics",
           certificate_rate=0.05, contract_rate=0.42, suffixes=("网络科技有限公司", "配送服务有限公司"),
           small_weight=1.5),
    Sector("retail", "52", _occ(("4-01-02-03", 14), ("4-01-02-04", 5), ("4-01-02-01", 3), ("4-02-06-02", 2),
                                ("4-01-02-06", 1), ("4-01-06-01", 1)),
           male_share=0.3, mean_age=34, age_spread=9, local_share=0.75, education="retail", certificate_rate=0.15,
           contract_rate=0.86, suffixes=("商贸有限公司", "超市有限公司", "百货有限公司", "商行"), small_weight=12),
    Sector("catering", "62", _occ(("4-03-02-01", 6), ("4-03-02-02", 3), ("4-03-02-05", 8), ("4-03-02-06", 1),
                                  ("4-03-02-11", 1), ("4-09-08-01", 1)),
           male_share=0.42, mean_age=36, local_share=0.7, rural_shift=0.1, education="retail",
           certificate_rate=0.28, contract_rate=0.8, suffixes=("餐饮管理有限公司", "酒楼", "饮食服务有限公司"),
           small_weight=7),
    Sector("hospitality", "61", _occ(("4-03-01-01", 4), ("4-03-01-02", 6), ("4-03-01-03", 2), ("4-14-06-02", 3),
                                     ("4-03-02-01", 2), ("4-07-04-01", 1), ("4-14-06-01", 1)),
           male_share=0.35, mean_age=36, local_share=0.72, education="retail", certificate_rate=0.25,
           contract_rate=0.85, suffixes=("酒店管理有限公司", "康养旅游有限公司", "阳光度假酒店"), small_weight=4,
           districts=("510402", "510411", "510421", "510422")),
    Sector("elderly_care", "85", _occ(("4-10-01-05", 14), ("4-14-01-03", 3), ("4-14-02-05", 1), ("4-14-02-01", 1),
                                      ("4-03-02-01", 1), ("4-09-08-01", 2)),
           male_share=0.2, mean_age=46, age_spread=8, local_share=0.72, rural_shift=0.12, education="care",
           certificate_rate=0.5, contract_rate=0.85, suffixes=("养老服务有限公司", "康养中心", "颐养院"),
           small_weight=3.5, districts=("510402", "510411", "510421", "510422")),
    Sector("hospital", "84", _occ(("4-14-01-02", 10), ("4-14-01-01", 5), ("4-14-02-02", 2), ("4-09-08-01", 3),
                                  ("4-10-04-02", 1), ("4-14-02-01", 1)),
           male_share=0.25, mean_age=39, local_share=0.8, education="health", certificate_rate=0.42,
           contract_rate=0.93, suffixes=("医院有限公司", "康复医院", "诊所"), small_weight=2),
    Sector("security", "72", _occ(("4-07-05-01", 16), ("4-07-05-02", 3), ("4-07-05-03", 2), ("4-07-05-04", 1),
                                  ("3-02-02-01", 1)),
           male_share=0.88, mean_age=44, age_spread=10, local_share=0.75, rural_shift=0.05, education="logistics",
           certificate_rate=0.45, contract_rate=0.88, suffixes=("保安服务有限公司", "安防科技有限公司"),
           small_weight=2.5),
    Sector("labour_services", "72", _occ(("4-07-03-06", 2), ("4-07-03-04", 2), ("4-02-05-01", 4), ("4-09-08-01", 3),
                                         ("4-07-05-01", 2)),
           male_share=0.6, mean_age=40, local_share=0.6, rural_shift=0.15, education="logistics",
           certificate_rate=0.2, contract_rate=0.9, suffixes=("人力资源服务有限公司", "劳务派遣有限公司"),
           small_weight=1.5),
    Sector("estate_agency", "70", _occ(("4-06-02-01", 14), ("4-06-02-02", 2), ("4-06-02-03", 1)),
           male_share=0.5, mean_age=31, age_spread=7, local_share=0.78, education="office", certificate_rate=0.25,
           contract_rate=0.8, suffixes=("房地产经纪有限公司", "房产营销策划有限公司"), small_weight=3,
           districts=("510402", "510403", "510411", "510421")),
    Sector("property_management", "70", _occ(("4-06-01-01", 3), ("4-06-01-03", 3), ("4-06-01-02", 1),
                                             ("4-06-01-04", 1), ("4-09-08-01", 6), ("4-07-05-01", 5)),
           male_share=0.5, mean_age=45, age_spread=9, local_share=0.75, education="care", certificate_rate=0.25,
           contract_rate=0.86, suffixes=("物业服务有限公司", "物业管理有限公司"), small_weight=4),
    Sector("domestic", "80", _occ(("4-10-01-06", 14), ("4-10-01-03", 3), ("4-10-01-01", 2), ("4-09-08-01", 3),
                                  ("4-14-01-03", 1)),
           male_share=0.08, mean_age=45, age_spread=8, local_share=0.62, rural_shift=0.15, education="care",
           certificate_rate=0.38, contract_rate=0.6, suffixes=("家政服务有限公司", "家庭服务中心"), small_weight=3.5),
    Sector("agriculture", "01", _occ(("4-07-04-06", 1),),
           male_share=0.55, mean_age=46, age_spread=9, local_share=0.9, rural_shift=0.3, education="care",
           certificate_rate=0.08, contract_rate=0.5,
           suffixes=("芒果种植专业合作社", "农业开发有限公司", "生态农业有限公司"), small_weight=2,
           districts=("510411", "510421", "510422")),
    # Public vocational schools (事业单位): teachers and trainers, their workshops' technicians, the support staff.
    Sector("vocational_school", "83", _occ(("4-07-03-05", 10), ("4-07-03-01", 2), ("6-31-03-01", 2), ("4-09-08-01", 2),
                                           ("4-07-05-01", 1)),
           male_share=0.5, mean_age=41, local_share=0.85, rural_shift=-0.1, education="office",
           certificate_rate=0.45, contract_rate=0.97),
    Sector("research", "73", _occ(("2-02-05-01", 4), ("2-02-05-02", 2), ("2-02-05-04", 3), ("2-02-05-09", 1),
                                  ("6-31-03-01", 3), ("6-31-03-02", 2), ("6-31-03-04", 2)),
           male_share=0.65, mean_age=40, local_share=0.75, rural_shift=-0.15, education="office",
           certificate_rate=0.4, contract_rate=0.98),
]}

# Small firms' names: a district prefix, a trade name and the sector's suffix.
SMALL_FIRM_PREFIX = {"510402": "攀枝花市", "510403": "攀枝花市西区", "510411": "攀枝花市仁和区",
                     "510421": "米易县", "510422": "盐边县"}
TRADE_NAMES = (
    "金沙", "钒都", "花城", "攀西", "阳光", "三线", "宏达", "鑫源", "顺达", "恒通", "安宁", "瑞丰", "兴业", "德胜",
    "永安", "长城", "华宇", "金江", "银江", "大河", "炳草岗", "弄弄坪", "清香坪", "格里坪", "宝鼎", "红格", "桐子林",
    "攀莲", "丙谷", "得石", "新九", "渔门", "金阳", "同德", "福田", "平地", "大田", "仁和", "鸿运", "嘉禾", "新华",
    "正泰", "和兴", "明达", "博远", "众鑫", "聚源", "东升", "南山", "北辰", "西城", "康乐", "乐途", "芒果", "木棉",
    "凤凰", "巨鑫", "利民", "惠民", "腾飞", "远航", "川南", "川滇", "雅砻", "二滩", "龙潭", "观音岩", "钛谷", "钒钛",
)
# Small firms' name endings of private non-enterprise units (民办非企业单位, USCC 52…), not enterprises.
NON_PROFIT_SUFFIXES = ("康养中心", "颐养院", "家庭服务中心")
SMALL_FIRM_DISTRICT_WEIGHTS = {"510402": 34, "510403": 14, "510411": 26, "510421": 14, "510422": 12}
SMALL_FIRM_OWNERSHIP = ((Ownership.PRIVATE, 86), (Ownership.INDIVIDUAL, 6), (Ownership.COLLECTIVE, 3),
                        (Ownership.FOREIGN, 2), (Ownership.STATE_CONTROLLED, 2), (Ownership.STATE_OWNED, 1))
DISTRICT_FULL_NAMES = {"510402": "四川省攀枝花市东区", "510403": "四川省攀枝花市西区", "510411": "四川省攀枝花市仁和区",
                       "510421": "四川省攀枝花市米易县", "510422": "四川省攀枝花市盐边县"}
ROADS = ("攀枝花大道", "机场路", "人民街", "新华街", "枣子坪路", "临江路", "金沙江大道", "渡仁西路", "攀钢大道",
         "清香坪路", "宝鼎路", "迎宾大道", "攀莲路", "桐子林路", "钒钛大道", "公园路", "学府路", "江南路")


@dataclass(frozen=True)
class Anchor:
    """A named employer of Panzhihua with a fixed share of the city's workers (percent)."""

    name: str
    district: str
    sector: str
    ownership: str
    share: float
    is_above_scale: bool = True
    # The USCC's first two characters (GB 32100) when it is not registered as its ownership says (``plans._uscc``):
    # "12" a public institution (事业单位: hospitals, schools, the welfare home), "52" a private non-enterprise unit.
    registered_as: str = ""
    industry: str = ""  # overrides the sector's industry division
    pangang: bool = field(default=False)


# Pangang (攀钢) takes about 30% of the workers; the rest of the anchors about 19%; small firms the remainder.
ANCHORS: tuple[Anchor, ...] = (
    Anchor("攀钢集团有限公司", "510402", "steel", Ownership.STATE_OWNED, 1.5, pangang=True),
    Anchor("攀钢集团攀枝花钢钒有限公司", "510402", "steel", Ownership.STATE_CONTROLLED, 14.0, pangang=True),
    Anchor("攀钢集团钒钛资源股份有限公司", "510402", "vanadium", Ownership.STATE_CONTROLLED, 4.0, pangang=True),
    Anchor("攀钢集团矿业有限公司", "510402", "iron_mining", Ownership.STATE_CONTROLLED, 4.5, pangang=True),
    Anchor("攀钢集团矿业有限公司白马分公司", "510421", "iron_mining", Ownership.STATE_CONTROLLED, 1.5, pangang=True),
    Anchor("攀钢集团钛业有限责任公司", "510403", "titanium", Ownership.STATE_CONTROLLED, 2.0, pangang=True),
    Anchor("攀钢集团工程技术有限公司", "510402", "civil_engineering", Ownership.STATE_CONTROLLED, 2.0, pangang=True),
    Anchor("攀钢集团攀枝花钢铁研究院有限公司", "510402", "research", Ownership.STATE_CONTROLLED, 0.5, pangang=True),
    Anchor("攀枝花煤业（集团）有限责任公司", "510403", "coal", Ownership.STATE_OWNED, 2.0),
    Anchor("中国十九冶集团有限公司攀枝花分公司", "510411", "construction", Ownership.STATE_CONTROLLED, 1.6),
    Anchor("雅砻江流域水电开发有限公司二滩水力发电厂", "510422", "power", Ownership.STATE_OWNED, 0.6),
    Anchor("国网四川省电力公司攀枝花供电公司", "510402", "power", Ownership.STATE_OWNED, 0.8),
    Anchor("攀枝花市水务（集团）有限公司", "510402", "water", Ownership.STATE_OWNED, 0.4),
    Anchor("攀枝花市公共交通有限公司", "510402", "bus", Ownership.STATE_OWNED, 0.5),
    Anchor("中国邮政集团有限公司攀枝花市分公司", "510402", "courier", Ownership.STATE_OWNED, 0.4),
    Anchor("攀枝花市保安服务有限公司", "510402", "security", Ownership.STATE_OWNED, 0.5),
    Anchor("攀枝花市中心医院", "510402", "hospital", Ownership.STATE_OWNED, 1.0, False, "12"),
    Anchor("攀枝花市第二人民医院", "510403", "hospital", Ownership.STATE_OWNED, 0.5, False, "12"),
    Anchor("攀钢集团总医院", "510402", "hospital", Ownership.STATE_OWNED, 0.6, False),
    Anchor("攀枝花市社会福利院", "510411", "elderly_care", Ownership.STATE_OWNED, 0.2, False, "12"),
    Anchor("攀枝花市攀西钛白粉有限公司", "510411", "chemical", Ownership.PRIVATE, 1.0),
    Anchor("攀枝花金沙江钛业有限公司", "510402", "chemical", Ownership.PRIVATE, 0.8),
    Anchor("米易县白马钛白粉有限公司", "510421", "chemical", Ownership.PRIVATE, 0.5),
    Anchor("盐边县红格矿业有限公司", "510422", "iron_mining", Ownership.PRIVATE, 0.8),
    Anchor("米易县潘家田铁矿有限公司", "510421", "iron_mining", Ownership.PRIVATE, 0.6),
    Anchor("攀枝花市宝鼎煤矿有限公司", "510403", "coal", Ownership.PRIVATE, 0.4),
    Anchor("攀枝花市钒都物流有限公司", "510403", "road_freight", Ownership.PRIVATE, 0.6),
    Anchor("攀枝花公路物流港有限公司", "510411", "warehousing", Ownership.PRIVATE, 0.3),
    Anchor("攀枝花市顺捷快递服务有限公司", "510402", "courier", Ownership.PRIVATE, 0.3),
    Anchor("攀枝花市速达网络科技有限公司", "510402", "delivery_platform", Ownership.PRIVATE, 0.6, False),
    Anchor("攀枝花市花城百货有限公司", "510402", "retail", Ownership.PRIVATE, 0.4),
    Anchor("攀枝花市惠民超市连锁有限公司", "510411", "retail", Ownership.PRIVATE, 0.5),
    Anchor("米易县阳光康养服务有限公司", "510421", "elderly_care", Ownership.PRIVATE, 0.3, False),
    Anchor("攀枝花市巾帼家政服务有限公司", "510402", "domestic", Ownership.PRIVATE, 0.2, False),
    Anchor("攀枝花市安居房地产经纪有限公司", "510402", "estate_agency", Ownership.PRIVATE, 0.2, False),
    Anchor("攀枝花市金沙物业服务有限公司", "510402", "property_management", Ownership.PRIVATE, 0.4, False),
    Anchor("攀枝花市宏达水泥有限公司", "510411", "building_materials", Ownership.PRIVATE, 0.3),
    # Issue 16: bodies that are not enterprises beside the hospitals and the welfare home above (USCC 12…, 52…).
    Anchor("攀枝花技师学院", "510402", "vocational_school", Ownership.STATE_OWNED, 0.3, False, "12"),
    Anchor("米易县职业技术学校", "510421", "vocational_school", Ownership.STATE_OWNED, 0.1, False, "12"),
    Anchor("攀枝花市仁和区康宁养老服务中心", "510411", "elderly_care", Ownership.PRIVATE, 0.1, False, "52"),
)

# Where workers' ID numbers come from. Panzhihua: its five county-level codes and the city code; people
# born before 1983 may carry 510420 (市区) instead of 510402/510403.
PANZHIHUA_BIRTHPLACES = (("510402", 26), ("510403", 14), ("510411", 20), ("510421", 14), ("510422", 12),
                         ("510400", 6))
OLD_CITY_CODE = "510420"
OLD_CITY_BORN_BEFORE = 1983
# Other Sichuan counties and districts, weighted toward the neighbouring 凉山州 and the populous east.
SICHUAN_BIRTHPLACES = (
    ("513401", 3), ("513425", 4), ("513426", 3), ("513423", 3), ("513424", 2), ("513427", 1.5), ("513428", 1),
    ("513431", 1), ("513432", 1), ("513434", 1), ("513436", 0.7), ("513429", 0.7),
    ("511102", 1.5), ("511123", 1.2), ("511112", 0.8), ("511124", 0.6), ("511181", 0.8),
    ("511302", 1), ("511321", 1.5), ("511322", 1.2), ("511323", 1), ("511324", 1.2), ("511325", 0.8),
    ("510104", 0.6), ("510105", 0.6), ("510106", 0.6), ("510107", 0.6), ("510108", 0.5), ("510121", 0.4),
    ("511002", 1), ("511024", 1), ("511025", 1.2), ("511028", 0.8),
    ("510302", 0.8), ("510321", 1), ("510322", 1.2),
    ("511502", 0.8), ("511521", 1), ("511527", 0.5), ("511529", 0.6),
    ("511702", 0.6), ("511722", 0.8), ("511725", 1),
    ("512002", 0.8), ("512021", 1.2), ("512022", 0.8),
    ("511402", 0.8), ("511421", 1.2),
    ("511602", 0.6), ("511621", 0.8), ("511623", 0.6),
    ("511802", 0.5), ("511823", 0.5), ("511824", 0.4),
    ("510703", 0.6), ("510722", 0.8), ("510603", 0.5), ("510623", 0.8), ("510502", 0.5), ("510521", 0.7),
    ("510903", 0.5), ("510921", 0.5), ("511902", 0.4), ("511921", 0.5), ("510802", 0.4), ("510824", 0.5),
)
# Yi-majority counties of 凉山州, whose people often carry Yi names.
YI_COUNTIES = frozenset({"513428", "513429", "513431", "513432", "513434", "513436"})
URBAN_CODES = frozenset({"510402", "510403", "510400", "510420"})


def rural_probability(division_code: str) -> float:
    """How likely a person born under ``division_code`` holds a rural hukou."""
    if division_code in URBAN_CODES:
        return 0.2
    if division_code == "510411":
        return 0.45
    if division_code.startswith("5104"):
        return 0.6
    return 0.35 if int(division_code[4:]) < 20 else 0.75  # a city district or a county


SURNAMES = (
    ("王", 70), ("李", 72), ("张", 60), ("刘", 55), ("陈", 50), ("杨", 45), ("黄", 25), ("赵", 22), ("吴", 20),
    ("周", 22), ("徐", 14), ("孙", 10), ("马", 12), ("朱", 12), ("胡", 14), ("郭", 10), ("何", 18), ("高", 10),
    ("林", 8), ("罗", 18), ("郑", 8), ("梁", 7), ("谢", 12), ("宋", 8), ("唐", 14), ("许", 6), ("韩", 5),
    ("冯", 8), ("邓", 12), ("曹", 6), ("彭", 10), ("曾", 10), ("肖", 10), ("田", 8), ("董", 6), ("袁", 8),
    ("潘", 5), ("于", 3), ("蒋", 8), ("蔡", 5), ("余", 8), ("杜", 7), ("叶", 5), ("程", 5), ("苏", 5),
    ("魏", 5), ("吕", 4), ("丁", 4), ("任", 6), ("沈", 3), ("姚", 4), ("卢", 4), ("姜", 3), ("崔", 2),
    ("钟", 5), ("谭", 6), ("陆", 3), ("汪", 4), ("范", 4), ("金", 2), ("石", 4), ("廖", 7), ("贾", 3),
    ("夏", 3), ("付", 5), ("方", 3), ("白", 3), ("邹", 4), ("熊", 5), ("秦", 3), ("江", 3), ("尹", 3),
    ("段", 4), ("雷", 5), ("侯", 3), ("龙", 4), ("史", 2), ("陶", 3), ("黎", 3), ("贺", 3), ("顾", 2),
    ("毛", 3), ("龚", 3), ("邵", 2), ("万", 3), ("严", 2), ("向", 4), ("汤", 2), ("文", 3), ("兰", 2),
)
MALE_GIVEN = tuple("伟强磊军勇杰涛明超斌波辉刚平鹏林华建国志文俊浩宇鑫龙飞海峰成东亮兵春宏锋力洪忠正德祥福贵荣松江川攀"
                   "晨阳凯翔昊轩睿博泽学兴安全良永庆发家顺利远")
FEMALE_GIVEN = tuple("芳娟敏静丽艳霞燕玲萍红梅琳莉婷雪兰英华秀琴慧洁颖倩琼丹蓉菊凤月欣怡佳悦雨晴瑶璐薇玉桂珍"
                     "春小丽娜莎露云")
YI_SURNAMES = ("吉克", "阿苏", "沙马", "曲比", "海来", "阿的", "俄木", "马海", "吉伍", "日火", "阿尔", "勒格")
YI_MALE_GIVEN = ("石布", "拉哈", "木呷", "伍沙", "尔古", "拉则", "史体", "阿牛", "日格", "布哈")
YI_FEMALE_GIVEN = ("阿呷", "阿依", "依作", "阿芝", "日果", "么么", "阿妞", "石莫")

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186", "187",
                   "188", "189", "198", "199")

CERTIFICATE_ISSUERS = ("攀枝花技师学院", "攀枝花市职业技能鉴定指导中心", "攀枝花学院", "四川机电职业技术学院")
QUALIFICATION_ISSUER = "攀枝花市人力资源和社会保障局"
PANGANG_ISSUER = "攀钢集团有限公司（职业技能等级认定）"
