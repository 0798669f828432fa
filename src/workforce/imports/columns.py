"""The columns of an employer's staff roster (花名册), as the template shows them and the importer
reads them. Headers are matched by name, not position: the Chinese header, its synonyms and English
names all name the same column."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils import translation

from workforce.registry.choices import (
    ContractType,
    Education,
    Gender,
    HukouType,
    NewEmploymentGroup,
    PoliticalStatus,
    PostCategory,
)


@dataclass(frozen=True)
class Column:
    """One roster column: ``key`` is the field name the importer produces; ``header`` the template's
    Chinese header; ``synonyms`` other headers (Chinese or English) that mean the same thing;
    ``kind`` how values are normalised: text, name, id_number, uscc, phone, date, bool, choice,
    occupation, skill_level; ``choice_enum`` the TextChoices a choice column maps its Chinese labels to, and
    ``choices`` the labels accepted for other coded columns (drop-downs in the template)."""

    key: str
    header: str
    kind: str = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    choice_enum: type[models.TextChoices] | None = None
    help: str = ""
    example: str = ""
    width: int = 14
    max_length: int = 0  # for text kept as written: the registry column's length (test_columns checks them)
    extra: dict = field(default_factory=dict, compare=False)

    def labels(self) -> tuple[str, ...]:
        """The values offered in the template's drop-down: the Chinese labels of the choices."""
        if self.choice_enum is None:
            return self.choices
        with translation.override("zh-hans"):
            return tuple(str(label) for value, label in self.choice_enum.choices if value)

    def value_for(self, label: str) -> str | None:
        """The stored value of a Chinese label (or of the value itself) of a choice column, else None."""
        assert self.choice_enum is not None
        with translation.override("zh-hans"):
            by_label = {str(label): value for value, label in self.choice_enum.choices}
        return by_label.get(label) or (label if label in self.choice_enum.values else None)


YES_NO = ("是", "否")

ROSTER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", "name", required=True, synonyms=("职工姓名", "员工姓名", "name", "full name"),
           example="张三", width=10),
    Column("id_number", "公民身份号码", "id_number", required=True,
           synonyms=("身份证号码", "身份证号", "身份证", "证件号码", "居民身份证号码", "id number", "id_number", "id no",
                     "resident id"),
           help="18 位居民身份证号码；请将该列设为“文本”格式，避免 Excel 丢失末尾数字", example="510402199001010012",
           width=22),
    Column("gender", "性别", "choice", synonyms=("gender", "sex"), choice_enum=Gender,
           help="可不填，由身份证号码得出；填写时须一致", example="男", width=6),
    Column("birth_date", "出生日期", "date", synonyms=("出生年月", "出生年月日", "生日", "birth date", "date of birth",
                                                  "birthday"),
           help="可不填，由身份证号码得出；填写时须一致", example="1990-01-01", width=12),
    Column("phone", "手机号码", "phone", synonyms=("手机号", "手机", "联系电话", "电话", "phone", "mobile", "mobile phone", "telephone"),
           example="13800001234", width=14),
    Column("hukou_type", "户口性质", "choice", required=True, synonyms=("户籍性质", "户口类型", "户籍类型", "hukou",
                                                                      "hukou type"),
           choice_enum=HukouType, example="农村户口", width=10),
    Column("education", "文化程度", "choice", synonyms=("学历", "最高学历", "education"),
           choice_enum=Education, example="高中", width=12),
    Column("political_status", "政治面貌", "choice", synonyms=("political status",),
           choice_enum=PoliticalStatus, example="群众", width=12),
    Column("new_employment_group", "新就业形态群体", "choice", synonyms=("新就业形态", "重点群体"),
           choice_enum=NewEmploymentGroup, help="不属于可不填", width=14),
    Column("employer_uscc", "用人单位统一社会信用代码", "uscc",
           synonyms=("统一社会信用代码", "单位统一社会信用代码", "所属企业统一社会信用代码", "所属单位统一社会信用代码",
                     "企业统一社会信用代码", "用人单位代码", "单位代码", "企业代码", "企业信用代码", "单位信用代码", "信用代码",
                     "社会信用代码", "employer uscc", "employer code", "uscc"),
           help="企业上传本单位花名册时可不填；区县和市级工作人员上传时必填", example="915104002043502888", width=22),
    Column("occupation", "职业", "occupation", synonyms=("职业（工种）", "职业/工种", "工种", "岗位工种", "职业代码",
                                                      "occupation", "occupation code"),
           help="《职业分类大典》职业代码或名称，例如 6-17-02-02 或 炼钢工", example="6-17-02-02 炼钢工", width=22),
    Column("start_date", "入职日期", "date", required=True,
           synonyms=("参加工作日期", "入职时间", "到岗日期", "用工起始日期", "start date", "hire date", "employed since"),
           example="2019-03-01", width=12),
    Column("end_date", "离职日期", "date", synonyms=("离职时间", "解除劳动关系日期", "end date", "leave date"),
           help="在职职工不填", width=12),
    Column("is_contract_signed", "是否签订劳动合同", "bool",
           synonyms=("签订劳动合同", "劳动合同", "已签劳动合同", "是否签订合同", "是否签劳动合同", "劳动合同签订情况",
                     "contract signed", "labor contract", "labour contract"), choices=YES_NO, example="是",
           width=10),
    Column("contract_type", "劳动合同类型", "choice", synonyms=("合同类型", "contract type"),
           choice_enum=ContractType, example="固定期限", width=14),
    Column("contract_start", "劳动合同起始日期", "date", synonyms=("合同起始日期", "合同开始日期", "contract start"),
           example="2019-03-01", width=12),
    Column("contract_end", "劳动合同终止日期", "date", synonyms=("合同终止日期", "合同结束日期", "合同到期日期",
                                                             "contract end"),
           help="无固定期限合同不填", example="2024-02-29", width=12),
    Column("post_category", "岗位类别", "choice",
           synonyms=("岗位类型", "岗位性质", "岗位分类", "人员类别", "人员类型", "职工类别", "post category", "post type"),
           choice_enum=PostCategory, help="一线职工、专业技术人员或管理人员；不清楚可不填（按未填报统计，不计入一线职工）",
           example="一线职工", width=12),
    Column("is_dispatched", "是否劳务派遣", "bool", synonyms=("劳务派遣", "派遣", "dispatched"), choices=YES_NO,
           example="否", width=10),
    Column("is_union_member", "是否工会会员", "bool",
           synonyms=("工会会员", "是否会员", "是否入会", "是否加入工会", "union member", "union membership"),
           choices=YES_NO, help="是工会会员填“是”；填写入会日期时以入会日期为准", example="是", width=10),
    Column("union_joined_on", "入会日期", "date", synonyms=("加入工会日期", "入会时间", "union joined"),
           help="工会会员填写", width=12),
    Column("skill_level", "技能等级", "skill_level", synonyms=("职业技能等级", "等级", "skill level"),
           help="填写等级，例如 三级/高级工、高级工 或 3；未填证书编号等信息时登记为单位填报、待证书核实",
           width=14),
    Column("certificate_number", "证书编号", synonyms=("技能证书编号", "职业资格证书编号", "certificate number"),
           width=18, max_length=50),
    Column("certificate_issuer", "发证机构", synonyms=("发证单位", "评价机构", "issuer"), width=16, max_length=100),
    Column("certificate_issued_on", "发证日期", "date", synonyms=("取证日期", "证书日期", "issued on"), width=12),
)

COLUMNS_BY_KEY = {column.key: column for column in ROSTER_COLUMNS}
