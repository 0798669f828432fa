"""Roster import API serializers: the upload and commit inputs, and the import as the pages show it.

They check the shape of the input only; whether a user may import, and whether an import may be
committed, is decided in ``workforce.imports.services``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workforce.imports.choices import ImportMode, Severity
from workforce.imports.models import ImportProblem, RosterImport

# ---------------------------------------------------------------------------------------------- output


def _count(help_text) -> serializers.IntegerField:
    # Output only, but not marked read-only, so that the schema does not call it required: a key
    # missing from ``counts`` (before the check, or in an older import) is left out, not shown as 0.
    return serializers.IntegerField(required=False, help_text=help_text)


class CommittedCountsSerializer(serializers.Serializer):
    created = _count(_("新增职工数"))
    updated = _count(_("更新职工数"))
    unchanged = _count(_("无变化行数"))
    ended = _count(_("全员同步办理离职人数"))
    skipped = _count(_("只导入没有错误的行时，未导入的有错误的行数"))
    skipped_at_commit = _count(_("其中确认导入时才发现错误的行数（检查之后登记库已有变化；问题已补入问题报告）"))


class ImportCountsSerializer(serializers.Serializer):
    """What the check found (and, once committed, what was written); empty before the check."""

    rows = _count(_("数据行数"))
    create = _count(_("将新增职工的行数"))
    update = _count(_("将更新的行数"))
    unchanged = _count(_("无变化的行数"))
    errors = _count(_("有错误的行数"))
    error_cells = _count(_("错误单元格数"))
    warnings = _count(_("提示数"))
    flagged = _count(_("需核实的行数（已在他处就业、疑似重复）"))
    notices = _count(_("说明数（如 15 位身份证号码已升级、表尾合计行已跳过）"))
    end = _count(_("全员同步将办理离职的人数"))
    committed = CommittedCountsSerializer(required=False, help_text=_("导入完成后实际写入的统计"))


class ImportProgressSerializer(serializers.Serializer):
    rows = serializers.IntegerField(read_only=True, help_text=_("已处理的行数"))
    phase = serializers.CharField(read_only=True, help_text=_("checking、committing、done，或空（尚未开始）"))


class ImportLinksSerializer(serializers.Serializer):
    self = serializers.URLField(read_only=True)
    problems = serializers.URLField(read_only=True)
    commit = serializers.URLField(read_only=True)
    report = serializers.URLField(read_only=True, help_text=_("标出问题单元格的 Excel 问题报告"))
    leavers = serializers.URLField(read_only=True, help_text=_("全员同步将办理（或已办理）离职的职工名单"))
    page = serializers.URLField(read_only=True, help_text=_("网页上的导入详情"))


class RosterImportSerializer(serializers.ModelSerializer):
    """An import in a list: who uploaded what, when, and how far it got."""

    employer_name = serializers.CharField(source="employer.name", read_only=True, default=None, allow_null=True)
    uploaded_by_name = serializers.StringRelatedField(source="uploaded_by", read_only=True)
    counts = ImportCountsSerializer(read_only=True)
    can_commit = serializers.BooleanField(read_only=True, help_text=_("检查完成且没有错误，可以确认导入"))
    can_commit_valid_rows = serializers.BooleanField(
        read_only=True, help_text=_("部分行有错误，可以只导入没有错误的行（valid_rows_only）"))
    message = serializers.CharField(source="message_text", read_only=True,
                                    help_text=_("文件被拒绝、导入失败等情况的说明（按请求的语言）"))
    links = serializers.SerializerMethodField()

    class Meta:
        model = RosterImport
        fields = ["id", "original_name", "size", "employer", "employer_name", "uploaded_by_name", "mode",
                  "roster_date", "status", "message", "counts", "can_commit", "can_commit_valid_rows", "created_at",
                  "checked_at", "committed_at", "file_purged_at", "links"]
        read_only_fields = fields

    @extend_schema_field(ImportLinksSerializer)
    def get_links(self, roster_import):
        request = self.context["request"]

        def url(name):
            return request.build_absolute_uri(reverse(f"rosterimport-{name}", args=[roster_import.pk]))

        return {"self": url("detail"), "problems": url("problems"), "commit": url("commit"), "report": url("report"),
                "leavers": url("leavers"), "page": request.build_absolute_uri(roster_import.get_absolute_url())}


class RosterImportDetailSerializer(RosterImportSerializer):
    """An import with the progress of its running job (``context["progress"]``, from
    ``services.read_progress``) and how many employments a full-roster sync would end."""

    progress = serializers.SerializerMethodField()
    spells_to_end_count = serializers.SerializerMethodField(help_text=_("全员同步确认后将办理离职的人数"))

    class Meta(RosterImportSerializer.Meta):
        fields = RosterImportSerializer.Meta.fields + ["progress", "spells_to_end_count"]
        read_only_fields = fields

    @extend_schema_field(ImportProgressSerializer)
    def get_progress(self, roster_import):
        return ImportProgressSerializer(self.context["progress"]).data

    def get_spells_to_end_count(self, roster_import) -> int:
        return len(roster_import.spells_to_end)


class ImportProblemSerializer(serializers.ModelSerializer):
    """A problem with one cell (or row): the spreadsheet's row number and column header, and the value
    with ID and phone numbers masked."""

    message = serializers.CharField(source="text", read_only=True, help_text=_("问题说明（按请求的语言）"))

    class Meta:
        model = ImportProblem
        fields = ["id", "row", "column", "value", "message", "severity"]
        read_only_fields = fields


class LeaverSerializer(serializers.Serializer):
    """An employment a full-roster sync ends: the worker (ID number masked) and the last day of work."""

    spell = serializers.IntegerField(source="pk", read_only=True, help_text=_("就业记录 ID"))
    worker = serializers.IntegerField(source="worker_id", read_only=True, help_text=_("职工 ID"))
    name = serializers.CharField(source="worker.name", read_only=True)
    id_number_masked = serializers.CharField(source="worker.id_number_masked", read_only=True)
    start_date = serializers.DateField(read_only=True)
    occupation = serializers.CharField(source="occupation_id", read_only=True, allow_null=True)
    end_date = serializers.DateField(source="last_day", read_only=True,
                                     help_text=_("离职日期：已办理的为实际日期，否则为花名册日期"))


# ---------------------------------------------------------------------------------------------- input


class RosterUploadSerializer(serializers.Serializer):
    """A roster file as ``services.create_roster_import`` takes it."""

    file = serializers.FileField(help_text=_("花名册文件：.xlsx、.xls、.csv（UTF-8 或 GBK 编码）"))
    mode = serializers.ChoiceField(
        choices=ImportMode.choices, default=ImportMode.UPSERT,
        error_messages={"invalid_choice": _("“{input}” 不是有效的选项。")},
        help_text=_("upsert：新增/更新；sync：全员同步，花名册中没有的在职职工将按花名册日期办理离职"))
    roster_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("花名册日期，默认今天"),
        error_messages={"invalid": _("日期格式不正确，应为 YYYY-MM-DD，例如 2024-03-01。")})


class CommitSerializer(serializers.Serializer):
    confirm_sync = serializers.BooleanField(
        default=False, help_text=_("全员同步时必须为 true：已核对离职名单，确认为其办理离职"))
    valid_rows_only = serializers.BooleanField(
        default=False,
        help_text=_("为 true 时只导入没有错误的行（can_commit_valid_rows 为 true 时可用）；有错误的行留在问题报告中"))


class ProblemQuerySerializer(serializers.Serializer):
    severity = serializers.ChoiceField(
        choices=Severity.choices, required=False,
        error_messages={"invalid_choice": _("“{input}” 不是有效的选项。")})
