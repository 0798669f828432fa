"""List filters shared by the pages and the API (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from workforce.core.bulk import one_parameter
from workforce.core.widgets import AnyYesNoSelect, ChooserInput, use_fast_selects
from workforce.reference.models import Division, Industry, Occupation, SkillLevel
from workforce.reference.services import PANZHIHUA_CODE
from workforce.registry.choices import HukouType, LegalPersonKind, Ownership, PostCategory
from workforce.registry.flag_sources import current_flag_sets
from workforce.registry.memberships import members_of
from workforce.registry.models import Employer, Worker
from workforce.registry.selectors import (
    SEARCH_HELP,
    employer_shown,
    is_identifier_search,
    may_unmask,
    own_employer_of,
    search_employers,
    search_workers,
    shows_memberships,
    worker_search_problem,
)
from workforce.registry.services.facts import migrants_among, today


class RecordIdFilter(django_filters.NumberFilter):
    """A primary key given in the query string: a whole number the database can hold, else a form error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no condition whose empty choice reads 不限 (any), not Django's 未知 (unknown)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNoSelect)
        super().__init__(*args, **kwargs)


IDENTIFIER_IN_URL = _("身份证号码和手机号码不能放在网址中（网址会被记入访问日志）：请用 POST "
                      "/api/registry/workers/search/ 或 /api/registry/workers/lookup/ 查找。")


def is_page(request) -> bool:
    """Whether the list is asked for by a page (whose search box seals identifiers) rather than the API,
    whose filter backend hands the filter DRF's request."""
    return not isinstance(request, Request)


def validate_worker_search(value: str) -> None:
    """A search that looks like part of a number finds nobody: say so, and what the box accepts (issue 15)."""
    problem = worker_search_problem(value)
    if problem:
        raise forms.ValidationError(problem, code="partial_number")


NO_POST_CATEGORY = "none"  # the post category filter's value for a spell whose category is not reported

DATE_ERRORS = {"invalid": _("日期格式不正确，应为 YYYY-MM-DD，例如 2020-12-31。")}


# Choices are read as plain tuples on every request: cheap, and always current after an edit of the
# reference tables (model instances for 300 occupations would cost more than the page's query).
def _district_choices():
    return list(Division.objects.filter(parent_id=PANZHIHUA_CODE).order_by("code").values_list("code", "name"))


def _section_choices():
    return [(code, f"{code} {name}") for code, name in
            Industry.objects.filter(level="section").order_by("code").values_list("code", "name")]


def _occupation_choices():
    return [(code, f"{code} {name}") for code, name in Occupation.objects.order_by("code").values_list("code", "name")]


def _skill_level_choices():
    return list(SkillLevel.objects.order_by("level").values_list("level", "label"))


class FastFilterSet(django_filters.FilterSet):
    """A FilterSet whose form renders its selects quickly (list pages render it on every request)."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            use_fast_selects(super().form)
        return self._form


def _with_hukou(queryset, hukou_type: str) -> list[int]:
    """The ids of the workers of ``queryset`` whose (decrypted) hukou type is ``hukou_type``."""
    return [pk for pk, value in queryset.order_by().values_list("pk", "hukou_type") if value == hukou_type]


class WorkerFilter(FastFilterSet):
    q = django_filters.CharFilter(label=_("姓名 / 身份证号 / 手机号"), method="search",
                                  help_text=SEARCH_HELP, validators=[validate_worker_search])
    # The summary columns come from every employer's spells: filtered as the viewer may know them
    # (``WorkerQuerySet.where_summary``; an enterprise's HR, by the spell at their own employer only).
    district = django_filters.ChoiceFilter(label=_("区县"), choices=_district_choices, field_name="district_id",
                                           method="filter_summary")
    industry = django_filters.ChoiceFilter(label=_("行业门类"), choices=_section_choices,
                                           field_name="current_industry_section", method="filter_summary")
    occupation = django_filters.ChoiceFilter(label=_("职业"), choices=_occupation_choices,
                                             field_name="current_occupation_id", method="filter_summary")
    skill_level = django_filters.ChoiceFilter(label=_("技能等级"), choices=_skill_level_choices,
                                              field_name="current_skill_level")
    high_skilled = YesNoFilter(label=_("高技能人才"), method="filter_high_skilled")
    union = YesNoFilter(label=_("工会会员"), method="filter_union_member")
    contract = YesNoFilter(label=_("已签劳动合同"), field_name="has_signed_contract",
                                            method="filter_summary")
    migrant = YesNoFilter(label=_("农民工"), method="filter_migrant")
    hukou = django_filters.ChoiceFilter(label=_("户口性质"), choices=HukouType.choices, method="filter_hukou")
    # The post category of a spell the worker holds on the day (today, or the 在职日期 given), as the viewer may
    # know it (``WorkerQuerySet.with_post_category``); "none" for a spell whose category is not reported.
    post_category = django_filters.ChoiceFilter(
        label=_("岗位类别"), method="filter_post_category",
        choices=[choice for choice in PostCategory.choices if choice[0]] + [(NO_POST_CATEGORY, _("未填报"))],
        help_text=_("今日（或在职日期）在职记录的岗位类别"))
    # The API takes the employer's id; the page chooses it by name or USCC (``ChooserInput``, issue 15).
    employer = RecordIdFilter(label=_("用人单位"), method="filter_employer",
                              help_text=_("给出在职日期时指该日所在单位，否则指当前单位"))
    # "As of" questions are answered from the dated spells and memberships, not today's summary columns.
    as_of = django_filters.DateFilter(label=_("在职日期"), method="filter_employed_on",
                                      help_text=_("该日有就业记录的职工"), error_messages=DATE_ERRORS,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    union_member_on = django_filters.DateFilter(label=_("会员日期"), method="filter_union_member_on",
                                                help_text=_("该日为工会会员的职工"), error_messages=DATE_ERRORS,
                                                widget=forms.DateInput(attrs={"type": "date"}))

    # Decision 0009: a filter on a masked attribute would reveal it row by row, so only those who may
    # reveal it get the filter; for anyone else its parameter is ignored like any unknown one.
    MASKED_FILTERS = ("hukou", "migrant")
    MEMBERSHIP_FILTERS = ("union", "union_member_on")

    class Meta:
        model = Worker
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        dropped = []
        if user is None or not may_unmask(user):
            dropped += self.MASKED_FILTERS
        if user is None or not shows_memberships(user):
            dropped += self.MEMBERSHIP_FILTERS
        for name in dropped:
            del self.filters[name]
        if user is not None and request is not None and is_page(request):
            self.filters["employer"].extra["widget"] = ChooserInput(
                reverse("registry:employer_choices"), lambda pk: getattr(employer_shown(user, pk), "name", None),
                placeholder=_("输入单位名称或统一社会信用代码"))
            self.filters["employer"].extra["help_text"] = _(
                "输入单位名称中的字或统一社会信用代码，从列表中选择；给出在职日期时指该日所在单位，否则指当前单位")

    def search(self, queryset, name, value):
        return search_workers(queryset, value)

    def filter_queryset(self, queryset):
        # Issue 13: an ID or phone number in the API's URL ends up in access and proxy logs. The pages seal
        # such a search (``selectors.seal_search``); API clients are sent to the POST actions.
        query = self.form.cleaned_data.get("q") or ""
        if self.request is not None and not is_page(self.request) and is_identifier_search(query):
            raise serializers.ValidationError({"q": [IDENTIFIER_IN_URL]})
        return super().filter_queryset(queryset)

    def filter_summary(self, queryset, name, value):
        return queryset.where_summary(self.request.user, name, value)

    @extend_schema_field(OpenApiTypes.INT)
    def filter_employer(self, queryset, name, value):
        if self.form.cleaned_data.get("as_of"):
            return queryset  # the employer of that day: filter_employed_on applies it to the spells
        return queryset.where_summary(self.request.user, "current_employer_id", value)

    def filter_post_category(self, queryset, name, value):
        category = "" if value == NO_POST_CATEGORY else value
        return queryset.with_post_category(self.request.user, category,
                                           self.form.cleaned_data.get("as_of") or today())

    def filter_employed_on(self, queryset, name, value):
        return queryset.employed_on(value, employer=self.form.cleaned_data.get("employer"),
                                    seen_by=self.request.user)

    # The hukou is encrypted with no lookup column (decision 0009). City-wide and district users read the
    # flags of every worker from a provider that keeps them decrypted and current (``flag_sources``: the
    # indicators' columns); otherwise, and for an enterprise's HR (whose migrants count by the spells at
    # their own employer only, and whose list is small), the hukou of the workers the list holds so far is
    # decrypted in Python (about 2 µs a worker).
    def _city_flags(self):
        return current_flag_sets() if own_employer_of(self.request.user) is None else None

    def filter_hukou(self, queryset, name, value):
        flags = self._city_flags()
        if flags is None:
            return queryset.filter(pk__in=one_parameter(Worker._meta.pk, _with_hukou(queryset, value)))
        rural = one_parameter(Worker._meta.pk, flags.rural_hukou())
        return queryset.filter(pk__in=rural) if value == HukouType.RURAL else queryset.exclude(pk__in=rural)

    def filter_migrant(self, queryset, name, value):
        flags = self._city_flags()
        if flags is not None:
            migrants = flags.migrants(today())
        else:
            migrants = migrants_among(_with_hukou(queryset, HukouType.RURAL),
                                      at_employer=own_employer_of(self.request.user))
        migrants = one_parameter(Worker._meta.pk, migrants)
        return queryset.filter(pk__in=migrants) if value else queryset.exclude(pk__in=migrants)

    # Membership as the viewer may know it (HR: through their own enterprise's union only, decision 0009).
    # City-wide and district users know any membership: their sets come from the provider when it holds them;
    # otherwise (and for an enterprise's HR, whose list is small) the rolls of the workers the list holds so far
    # are decrypted in Python, a batch at a time.
    def _members(self, queryset, on):
        flags = self._city_flags()
        members = flags.union_members(on) if flags is not None else members_of(queryset, self.request.user, on)
        return one_parameter(Worker._meta.pk, members)

    def filter_union_member(self, queryset, name, value):
        members = self._members(queryset, today())
        return queryset.filter(pk__in=members) if value else queryset.exclude(pk__in=members)

    def filter_union_member_on(self, queryset, name, value):
        return queryset.filter(pk__in=self._members(queryset, value))

    def filter_high_skilled(self, queryset, name, value):
        if value:
            return queryset.filter(current_skill_level__lte=3)
        return queryset.exclude(current_skill_level__lte=3)


class EmployerFilter(FastFilterSet):
    q = django_filters.CharFilter(label=_("单位名称 / 统一社会信用代码"), method="search")
    district = django_filters.ChoiceFilter(label=_("区县"), choices=_district_choices, field_name="district_id")
    industry = django_filters.ChoiceFilter(label=_("行业门类"), choices=_section_choices,
                                           field_name="industry__section")
    ownership = django_filters.ChoiceFilter(label=_("经济类型"), choices=Ownership.choices)
    legal_person_kind = django_filters.ChoiceFilter(label=_("法人类型"), choices=LegalPersonKind.choices)
    is_above_scale = YesNoFilter(label=_("规模以上"))

    class Meta:
        model = Employer
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_employers(queryset, value)
