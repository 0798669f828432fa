"""The administrator's synonyms of coded roster values (``RosterSynonym``): which columns take them,
what each may map to, and adding or removing one (with its change-log row)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from workforce.core.changelog import record_change, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.core.messages import shown
from workforce.imports.columns import COLUMNS_BY_KEY
from workforce.imports.models import RosterSynonym
from workforce.imports.parsing import CellValueError, Synonyms, choice_value, normalize_text
from workforce.reference.models import Occupation

# Columns whose values an administrator may add ways of writing: the coded ones.
SYNONYM_COLUMNS = ("hukou_type", "education", "political_status", "contract_type", "new_employment_group",
                   "gender", "post_category", "occupation")


def synonyms_for_import() -> Synonyms:
    """Every administrator's synonym by column, as ``parsing.read_roster`` takes them."""
    found: dict[str, list[tuple[str, str]]] = {}
    for column, text, value in RosterSynonym.objects.values_list("column", "text", "value"):
        found.setdefault(column, []).append((text, value))
    return {column: tuple(pairs) for column, pairs in found.items()}


def add_roster_synonym(column: str, text: str, meaning: str, *, acting_user) -> RosterSynonym:
    """Let ``text`` stand for ``meaning`` in ``column``: a label or stored value of a choice column
    (``城镇户口``/``urban``), or an occupation's code. Refused with a Chinese message when the column
    takes no synonyms, the text is already understood, or the meaning is not a valid value."""
    if column not in SYNONYM_COLUMNS:
        raise ValidationError({"column": _("该列不支持添加写法。")})
    written = normalize_text(text)
    if not written:
        raise ValidationError({"text": _("请填写写法。")})
    if column == "occupation":
        value = meaning.strip()
        if not Occupation.objects.filter(code=value).exists():
            raise ValidationError({"value": _("职业代码在《职业分类大典》中找不到。")})
    else:
        try:
            value = choice_value(COLUMNS_BY_KEY[column], meaning)
        except CellValueError as error:  # say what is accepted
            raise ValidationError({"value": shown(error.message)}) from None
        if value is None:
            raise ValidationError({"value": _("请填写对应的值。")})
        try:
            known = choice_value(COLUMNS_BY_KEY[column], written)
        except CellValueError:
            known = None
        if known is not None:
            raise ValidationError({"text": _("该写法已能识别。")})
    with transaction.atomic():
        try:
            with transaction.atomic():  # the unique constraint decides a race between two administrators
                synonym = RosterSynonym.objects.create(column=column, text=written, value=value)
        except IntegrityError:
            raise ValidationError({"text": _("该写法已能识别。")}) from None
        record_change(synonym, ChangeAction.CREATE, acting_user=acting_user, channel=Channel.PAGE,
                      after=snapshot(synonym))
    return synonym


def remove_roster_synonym(synonym: RosterSynonym, *, acting_user) -> None:
    """Forget an administrator's synonym (later checks no longer understand it)."""
    with transaction.atomic():
        record_change(synonym, ChangeAction.DELETE, acting_user=acting_user, channel=Channel.PAGE,
                      before=snapshot(synonym))
        synonym.delete()
