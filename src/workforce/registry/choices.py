"""Codes of the registry (TextChoices, never inline strings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class HukouType(models.TextChoices):
    """Household registration; rural hukou in non-farm work makes a migrant worker (农民工)."""

    URBAN = "urban", _("城镇户口")
    RURAL = "rural", _("农村户口")


class Education(models.TextChoices):
    PRIMARY = "primary", _("小学及以下")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    VOCATIONAL = "vocational", _("中专/技工学校")
    COLLEGE = "college", _("大专/高职")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生")


class PoliticalStatus(models.TextChoices):
    """政治面貌. Blank (no member here) is "not stated" (``POLITICAL_STATUS_UNSTATED``): never taken for 群众."""

    CPC_MEMBER = "cpc_member", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CYL_MEMBER = "cyl_member", _("共青团员")
    OTHER_PARTY = "other_party", _("民主党派")
    MASSES = "masses", _("群众")


# How a blank political status reads (issue 15: it defaulted to 群众, which counted the unstated as known
# non-members).
POLITICAL_STATUS_UNSTATED = _("未填报")


class NewEmploymentGroup(models.TextChoices):
    """§3: the key groups of new forms of employment, mostly migrant workers."""

    NONE = "", _("不属于")
    TRUCK_DRIVER = "truck_driver", _("货车司机")
    COURIER = "courier", _("快递员")
    CAREGIVER = "caregiver", _("护工护理员")
    DOMESTIC_WORKER = "domestic_worker", _("家政服务员")
    SHOP_ASSISTANT = "shop_assistant", _("商场售货员")
    DELIVERY_RIDER = "delivery_rider", _("网约送餐员")
    ESTATE_AGENT = "estate_agent", _("房产中介员")
    SECURITY_GUARD = "security_guard", _("保安员")


class Ownership(models.TextChoices):
    STATE_OWNED = "state_owned", _("国有")
    STATE_CONTROLLED = "state_controlled", _("国有控股")
    COLLECTIVE = "collective", _("集体")
    PRIVATE = "private", _("民营")
    FOREIGN = "foreign", _("外资/港澳台")
    INDIVIDUAL = "individual", _("个体")

    @classmethod
    def state(cls) -> list[str]:
        """State-owned and state-controlled: the plan's 国有及国有控股企业."""
        return [cls.STATE_OWNED, cls.STATE_CONTROLLED]


class LegalPersonKind(models.TextChoices):
    """What kind of body an employer is (法人类型), derived from its USCC's first two characters
    (``registry.legal_person``, GB 32100-2015) unless city-wide staff corrected it. Only ``ENTERPRISE`` is
    an enterprise (企业) for the plan's enterprise figures (国有及国有控股企业 …, decision 0006)."""

    ENTERPRISE = "enterprise", _("企业")
    INSTITUTION = "institution", _("事业单位")
    ORGAN = "organ", _("机关")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    FARMERS_COOPERATIVE = "farmers_cooperative", _("农民专业合作社")
    RURAL_COLLECTIVE = "rural_collective", _("农村集体经济组织")
    OTHER = "other", _("其他")
    # The code's first two characters are not a pair of GB 32100's table (or the code is not valid).
    UNKNOWN = "unknown", _("无法识别")


# What a correction may set: a kind, never 无法识别 (the API's enum LegalPersonKindCorrectionEnum).
CORRECTABLE_LEGAL_PERSON_KINDS = [choice for choice in LegalPersonKind.choices if choice[0] != LegalPersonKind.UNKNOWN]


class PostCategory(models.TextChoices):
    """The category of a worker's post on one employment spell (岗位类别): the plan's 工人 are the front-line
    workers (§1, §4). Blank is unknown (未填报): never counted as any of them (decision 0006)."""

    UNKNOWN = "", _("未填报")
    FRONT_LINE = "front_line", _("一线职工")
    TECHNICAL = "technical", _("专业技术人员")
    MANAGEMENT = "management", _("管理人员")


class EmployerFactKind(models.TextChoices):
    """Governance facts the plan's targets count (§4, §5), each with dates."""

    UNION = "union", _("建立工会")
    WORKERS_CONGRESS = "workers_congress", _("建立职工代表大会")
    AFFAIRS_DISCLOSURE = "affairs_disclosure", _("实行厂务公开")
    COLLECTIVE_CONTRACT = "collective_contract", _("签订集体合同")
    # The plan's "建立集体协商机制" (§I.2, §23): the mechanism from the day it was established (to the day it
    # lapsed), and each negotiation round on its own day (``valid_from`` = ``valid_to``, ``ROUND_KINDS``).
    COLLECTIVE_BARGAINING = "collective_bargaining", _("建立集体协商机制")
    BARGAINING_ROUND = "bargaining_round", _("开展集体协商")


# Facts of a single day (an event, not a period): stored with ``valid_to`` equal to ``valid_from``.
ROUND_KINDS = (EmployerFactKind.BARGAINING_ROUND,)


class EmployerAttribute(models.TextChoices):
    """Employer attributes the indicators break down and select by, kept over time (decision 0004): a change
    with effect from a day keeps the earlier value for the days before it."""

    DISTRICT = "district", _("所在区县")
    INDUSTRY = "industry", _("行业")
    OWNERSHIP = "ownership", _("经济类型")
    ABOVE_SCALE = "above_scale", _("规模以上企业")


# How a yes/no is stored where values are text (attribute facts, query strings), with its label.
STORED_TRUE, STORED_FALSE = "true", "false"
YES_NO = [(STORED_TRUE, _("是")), (STORED_FALSE, _("否"))]


class ContractType(models.TextChoices):
    FIXED_TERM = "fixed_term", _("固定期限")
    OPEN_ENDED = "open_ended", _("无固定期限")
    TASK_BASED = "task_based", _("以完成一定工作任务为期限")


class ContractSource(models.TextChoices):
    """Where a labour contract's record came from (decision 0020)."""

    PAGE = "page", _("页面录入")
    API = "api", _("接口")
    IMPORT = "import", _("花名册导入")
    MIGRATION = "migration", _("原就业记录迁移")
    SYSTEM = "system", _("系统")


class CertificateKind(models.TextChoices):
    VOCATIONAL_QUALIFICATION = "vocational_qualification", _("职业资格证书")
    SKILL_LEVEL = "skill_level", _("职业技能等级证书")
    SPECIAL_ABILITY = "special_ability", _("专项职业能力证书")


class WorkerFactKind(models.TextChoices):
    """Worker attributes that change over time and are kept with valid-from/valid-to."""

    HUKOU = "hukou_type", _("户口性质")
    EDUCATION = "education", _("文化程度")
    POLITICAL_STATUS = "political_status", _("政治面貌")
    NEW_EMPLOYMENT_GROUP = "new_employment_group", _("新就业形态群体")
