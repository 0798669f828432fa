"""The kind of body an employer is (法人类型), read from its Unified Social Credit Code: the one place
that maps the code's first two characters to a ``LegalPersonKind`` (decision 0006, issue 16 point 2).

Source: GB 32100-2015《法人和其他组织统一社会信用代码编码规则》, table of 登记管理部门代码 (1st character)
and 机构类别代码 (2nd character), with the codes added since (A 中央军委改革和编制办公室, N 农业) as
published, e.g. https://osuse.cn/post/10002590.html (transcribed 2026-12). Each authority's own categories
are listed below in the standard's order with its words; ``KINDS`` says which legal-person kind each is.

The kind of a code never changes (a 事业单位 converted into an enterprise is registered anew, under a new code
from 市场监管), so a derivation holds on every day; a wrong derivation is corrected by city-wide staff
(``services.update_employer``), and the correction wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from workforce.core.identifiers import IdentifierError, parse_uscc
from workforce.registry.choices import LegalPersonKind as Kind

# 登记管理部门代码 (the code's first character).
AUTHORITIES = {
    "1": _("机构编制"), "2": _("外交"), "3": _("司法行政"), "4": _("文化"), "5": _("民政"), "6": _("旅游"),
    "7": _("宗教"), "8": _("工会"), "9": _("工商（市场监管）"), "A": _("中央军委改革和编制办公室"), "N": _("农业"),
    "Y": _("其他"),
}

# (first, second character) -> (机构类别 as the standard words it, legal-person kind).
KINDS: dict[tuple[str, str], tuple[object, Kind]] = {
    ("1", "1"): (_("机关"), Kind.ORGAN),
    ("1", "2"): (_("事业单位"), Kind.INSTITUTION),
    # Mass organisations such as the trade unions' federations, the Youth League, the Women's Federation:
    # social bodies exempt from registration, counted with the social organisations.
    ("1", "3"): (_("中央编办直接管理机构编制的群众团体"), Kind.SOCIAL_ORGANISATION),
    ("1", "9"): (_("其他"), Kind.OTHER),
    ("2", "1"): (_("外国常住新闻机构"), Kind.OTHER),
    ("2", "9"): (_("其他"), Kind.OTHER),
    ("3", "1"): (_("律师执业机构"), Kind.OTHER),
    ("3", "2"): (_("公证处"), Kind.OTHER),
    ("3", "3"): (_("基层法律服务所"), Kind.OTHER),
    ("3", "4"): (_("司法鉴定机构"), Kind.OTHER),
    ("3", "5"): (_("仲裁委员会"), Kind.OTHER),
    ("3", "9"): (_("其他"), Kind.OTHER),
    ("4", "1"): (_("外国在华文化中心"), Kind.OTHER),
    ("4", "9"): (_("其他"), Kind.OTHER),
    ("5", "1"): (_("社会团体"), Kind.SOCIAL_ORGANISATION),
    ("5", "2"): (_("民办非企业单位（社会服务机构）"), Kind.SOCIAL_ORGANISATION),
    ("5", "3"): (_("基金会"), Kind.SOCIAL_ORGANISATION),
    ("5", "9"): (_("其他"), Kind.OTHER),
    ("6", "1"): (_("外国旅游部门常驻代表机构"), Kind.OTHER),
    ("6", "2"): (_("港澳台地区旅游部门常驻内地（大陆）代表机构"), Kind.OTHER),
    ("6", "9"): (_("其他"), Kind.OTHER),
    ("7", "1"): (_("宗教活动场所"), Kind.OTHER),
    ("7", "2"): (_("宗教院校"), Kind.OTHER),
    ("7", "9"): (_("其他"), Kind.OTHER),
    # A primary trade union is a social body with legal personality (Trade Union Law art. 15).
    ("8", "1"): (_("基层工会"), Kind.SOCIAL_ORGANISATION),
    ("8", "9"): (_("其他"), Kind.OTHER),
    ("9", "1"): (_("企业"), Kind.ENTERPRISE),
    ("9", "2"): (_("个体工商户"), Kind.INDIVIDUAL_BUSINESS),
    ("9", "3"): (_("农民专业合作社"), Kind.FARMERS_COOPERATIVE),
    ("A", "1"): (_("军队事业单位"), Kind.INSTITUTION),
    ("A", "9"): (_("其他"), Kind.OTHER),
    ("N", "1"): (_("组级集体经济组织"), Kind.RURAL_COLLECTIVE),
    ("N", "2"): (_("村级集体经济组织"), Kind.RURAL_COLLECTIVE),
    ("N", "3"): (_("乡镇级集体经济组织"), Kind.RURAL_COLLECTIVE),
    ("N", "9"): (_("其他"), Kind.OTHER),
    ("Y", "1"): (_("其他（不再划分机构类别）"), Kind.OTHER),
}


@dataclass(frozen=True)
class Derivation:
    """What a USCC says of its holder: the legal-person kind, and the standard's words for its registration
    authority and category (empty when the code does not say: ``kind`` is then ``UNKNOWN``)."""

    kind: Kind
    authority: str = ""
    category: str = ""


def derive_legal_person_kind(uscc: str) -> Derivation:
    """The legal-person kind the code's first two characters give per GB 32100 (``KINDS``); ``UNKNOWN`` for a
    code that is not valid (length, characters, check character) or whose pair is not in the table."""
    try:
        code = parse_uscc(uscc)
    except IdentifierError:
        return Derivation(Kind.UNKNOWN)
    authority = AUTHORITIES.get(code[0])
    found = KINDS.get((code[0], code[1]))
    if authority is None or found is None:
        return Derivation(Kind.UNKNOWN, str(authority or ""))
    category, kind = found
    return Derivation(kind, str(authority), str(category))


def derived_kind(uscc: str) -> str:
    """The stored value of the kind ``uscc`` gives (``derive_legal_person_kind``)."""
    return derive_legal_person_kind(uscc).kind.value
