"""Progress reports: opened per period, submitted, sent back, resubmitted and accepted, with attachments
and every version kept; overdue reports raise alerts."""

import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.core.changelog import history_for
from workforce.supervision.choices import AlertKind, ReportStatus, ReviewDecision
from workforce.supervision.models import Alert, MeasureDepartment, ProgressReport
from workforce.supervision.services import reports as services
from workforce.supervision.services.alerts import refresh_alerts
from workforce.supervision.tasks import supervision_daily
from workforce.supervision.tests.conftest import department, measure

D = datetime.date
PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture
def reporting(plan, officers):
    services.do_start_reporting(plan, D(2020, 1, 1), acting_user=_admin())
    services.open_reports(plan, D(2020, 2, 15))
    return plan


def _admin():
    from workforce.accounts.models import User

    return User.objects.get(username="admin")


def _report(plan, number, code) -> ProgressReport:
    return ProgressReport.objects.get(measure=measure(plan, number), department=department(code),
                                      period_start=D(2020, 1, 1))


def test_opening_a_period_owes_one_report_per_measure_and_department(reporting):
    links = MeasureDepartment.objects.filter(measure__plan=reporting).count()
    assert ProgressReport.objects.count() == links
    report = _report(reporting, 6, "sasac")
    assert (report.status, report.period_label, report.due_date) == (ReportStatus.PENDING, "2020年第1季度",
                                                                     D(2020, 4, 15))
    assert services.open_reports(reporting, D(2020, 3, 31)) == 0  # idempotent
    assert services.open_reports(reporting, D(2020, 4, 1)) == links  # the second quarter


def test_a_report_is_submitted_sent_back_resubmitted_and_accepted_keeping_every_version(reporting, officers):
    report = _report(reporting, 6, "sasac")
    services.do_save_report(report, "已推进厂务公开。", expected_version=report.version, acting_user=officers.sasac)
    first_file = services.do_attach_file(report, SimpleUploadedFile("材料.pdf", PDF), acting_user=officers.sasac)
    services.do_submit_report(report, acting_user=officers.sasac)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    services.do_review_report(report, ReviewDecision.RETURNED, "请补充职代会数据。", acting_user=officers.union)
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    services.do_save_report(report, "已推进厂务公开，职代会建制率100%。", expected_version=report.version,
                            acting_user=officers.sasac)
    services.do_remove_attachment(first_file, acting_user=officers.sasac)
    services.do_attach_file(report, SimpleUploadedFile("数据.pdf", PDF), acting_user=officers.sasac)
    services.do_submit_report(report, acting_user=officers.sasac)
    services.do_review_report(report, ReviewDecision.ACCEPTED, "", acting_user=officers.union)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED

    versions = list(report.versions.order_by("number"))
    assert [(v.number, v.decision, v.review_comment) for v in versions] == [
        (1, ReviewDecision.RETURNED, "请补充职代会数据。"), (2, ReviewDecision.ACCEPTED, "")]
    assert versions[0].body == "已推进厂务公开。"
    assert [a.name for a in versions[0].attachments.all()] == ["材料.pdf"]
    assert [a.name for a in versions[1].attachments.all()] == ["数据.pdf"]
    assert versions[0].reviewed_by == officers.union and versions[1].submitted_by == officers.sasac
    notes = [entry.note for entry in history_for(report).order_by("pk")]
    assert "报送第 1 版" in notes and "退回修改：请补充职代会数据。" in notes and "通过" in notes


def test_sending_back_needs_a_comment(reporting, officers):
    report = _report(reporting, 6, "sasac")
    services.do_save_report(report, "进展", expected_version=None, acting_user=officers.sasac)
    services.do_submit_report(report, acting_user=officers.sasac)
    with pytest.raises(ValidationError) as error:
        services.do_review_report(report, ReviewDecision.RETURNED, " ", acting_user=officers.union)
    assert error.value.message_dict == {"comment": ["退回时请写明修改意见。"]}
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_an_empty_report_cannot_be_submitted(reporting, officers):
    with pytest.raises(ValidationError):
        services.do_submit_report(_report(reporting, 6, "sasac"), acting_user=officers.sasac)


def test_a_submitted_report_cannot_be_edited(reporting, officers):
    report = _report(reporting, 6, "sasac")
    services.do_save_report(report, "进展", expected_version=None, acting_user=officers.sasac)
    services.do_submit_report(report, acting_user=officers.sasac)
    report.refresh_from_db()
    with pytest.raises(ValidationError):
        services.do_save_report(report, "改", expected_version=None, acting_user=officers.sasac)


def test_only_the_reporting_department_writes_its_report(reporting, officers):
    report = _report(reporting, 6, "sasac")
    for outsider in (officers.hrss, officers.union, _admin()):
        with pytest.raises(PermissionDenied):
            services.do_save_report(report, "代写", expected_version=None, acting_user=outsider)
    report.refresh_from_db()
    assert report.body == ""


def test_a_responsible_departments_report_is_reviewed_by_the_lead_not_by_a_peer(reporting, officers):
    report = _report(reporting, 6, "sasac")
    services.do_save_report(report, "进展", expected_version=None, acting_user=officers.sasac)
    services.do_submit_report(report, acting_user=officers.sasac)
    for peer in (officers.economy, officers.sasac, officers.hrss):
        with pytest.raises(PermissionDenied):
            services.do_review_report(report, ReviewDecision.ACCEPTED, "", acting_user=peer)
    services.do_review_report(report, ReviewDecision.ACCEPTED, "", acting_user=officers.union)


def test_a_lead_departments_own_report_is_reviewed_by_the_supervision_office(reporting, officers):
    report = _report(reporting, 6, "city-union")
    services.do_save_report(report, "牵头单位进展", expected_version=None, acting_user=officers.union)
    services.do_submit_report(report, acting_user=officers.union)
    with pytest.raises(PermissionDenied):
        services.do_review_report(report, ReviewDecision.ACCEPTED, "", acting_user=officers.union)
    services.do_review_report(report, ReviewDecision.ACCEPTED, "", acting_user=_admin())


@pytest.mark.parametrize(("name", "content", "message"), [
    ("程序.exe", b"MZ...",
     "不支持文件“程序.exe”的类型，只能上传 DOC、DOCX、JPEG、JPG、OFD、PDF、PNG、XLS、XLSX 文件。"),
    ("伪装.pdf", b"MZ not a pdf", "文件“伪装.pdf”的内容与扩展名不符，请上传原始文件。"),
    ("空.pdf", b"", "文件“空.pdf”是空文件。"),
])
def test_it_refuses_files_of_other_types_with_a_clear_message(reporting, officers, name, content, message):
    report = _report(reporting, 6, "sasac")
    with pytest.raises(ValidationError) as error:
        services.do_attach_file(report, SimpleUploadedFile(name, content), acting_user=officers.sasac)
    assert error.value.messages == [message]
    assert not report.attachments.exists()


def test_it_refuses_a_file_over_the_size_limit(reporting, officers, settings):
    settings.SUPERVISION_ATTACHMENT_MAX_BYTES = 1024
    report = _report(reporting, 6, "sasac")
    with pytest.raises(ValidationError) as error:
        services.do_attach_file(report, SimpleUploadedFile("大.pdf", PDF + b"0" * 2000),
                                acting_user=officers.sasac)
    assert error.value.messages == ["文件“大.pdf”大小为 2.0\xa0KB，超过了 1.0\xa0KB 的上限。"]


def test_attachments_are_stored_sealed_under_media_root_with_a_random_name(reporting, officers, settings):
    report = _report(reporting, 6, "sasac")
    attachment = services.do_attach_file(report, SimpleUploadedFile("../../材料.pdf", PDF), acting_user=officers.sasac)
    path = attachment.file.path
    assert path.startswith(str(settings.MEDIA_ROOT)) and "材料" not in path and path.endswith(".pdf")
    with open(path, "rb") as stored:
        assert stored.read(6) == b"WFENC\x01" and b"evidence" not in stored.read()  # sealed (decision 0011)
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert oct(os.stat(os.path.dirname(path)).st_mode & 0o777) == "0o700"
    with attachment.file.open("rb") as read_back:
        assert read_back.read() == PDF


def test_overdue_reports_raise_alerts_from_the_day_after_the_due_date(reporting, officers):
    report = _report(reporting, 6, "sasac")
    assert refresh_alerts(D(2020, 4, 15)) == (0, 0)
    assert not ProgressReport.objects.overdue(D(2020, 4, 15)).exists()
    raised, _resolved = refresh_alerts(D(2020, 4, 16))
    assert raised == ProgressReport.objects.filter(period_start=D(2020, 1, 1)).count()
    alert = Alert.objects.get(subject=f"report:{report.pk}")
    assert (alert.kind, alert.department.code, alert.due_date) == (AlertKind.REPORT_OVERDUE, "sasac", D(2020, 4, 15))
    assert refresh_alerts(D(2020, 4, 17)) == (0, 0)  # raised once

    services.do_save_report(report, "迟报", expected_version=None, acting_user=officers.sasac)
    services.do_submit_report(report, acting_user=officers.sasac)
    refresh_alerts(D(2020, 4, 18))
    alert.refresh_from_db()
    assert alert.resolved_on == D(2020, 4, 18)


def test_the_daily_job_opens_reports_and_raises_alerts(reporting, time_machine):
    time_machine.move_to(datetime.datetime(2020, 7, 20, 9, 0, tzinfo=datetime.UTC))
    result = supervision_daily.call_local()
    links = MeasureDepartment.objects.filter(measure__plan=reporting).count()
    assert result["opened"] == 2 * links  # second and third quarters
    assert Alert.objects.open().count() == 2 * links  # Q1 (due 2020-04-15) and Q2 (due 2020-07-14) unreported


def test_opening_reports_leaves_one_change_log_row_on_the_plan(plan, officers):
    from workforce.core.models import ChangeLogEntry

    services.do_start_reporting(plan, D(2020, 1, 1), open_until=D(2020, 2, 15), acting_user=_admin())
    links = MeasureDepartment.objects.filter(measure__plan=plan).count()
    notes = list(ChangeLogEntry.objects.filter(object_id=plan.pk, note__startswith="开启").values_list(
        "note", "user_name"))
    assert notes == [(f"开启进展报告 {links} 份（截至 2020-02-15）", "admin")]
    assert ProgressReport.objects.count() == links


def test_a_refused_submission_keeps_the_stored_draft(reporting, officers, sign_in):
    report = _report(reporting, 6, "sasac")
    services.do_save_report(report, "旧草稿", expected_version=None, acting_user=officers.sasac)
    report.refresh_from_db()
    response = sign_in(officers.sasac).post(report.get_absolute_url(),
                                            {"body": "   ", "version": report.version, "submit": "1"})
    assert response.status_code == 200 and "请先填写进展情况再报送。" in response.content.decode()
    report.refresh_from_db()
    assert (report.body, report.status, report.versions.count()) == ("旧草稿", ReportStatus.PENDING, 0)


def test_the_review_queue_is_exactly_the_reports_the_review_rule_allows(reporting, officers):
    from workforce.supervision import rules, selectors

    for report in ProgressReport.objects.filter(measure__number__in=[3, 6, 8]):
        officer = report.department.officers.first()
        if officer is not None:
            services.do_save_and_submit_report(report, "进展", expected_version=None, acting_user=officer)
    submitted = ProgressReport.objects.filter(status=ReportStatus.SUBMITTED)
    queues = {}
    for user in [_admin(), officers.union, officers.sasac, officers.hrss, officers.economy, officers.organisation]:
        expected = {report.pk for report in submitted.visible_to(user) if rules.may_review_report(user, report)}
        assert set(selectors.reports_to_review(user).values_list("pk", flat=True)) == expected, user.username
        queues[user.username] = len(expected)
    # Eight reports submitted on §3, §6 and §8: the office reviews them all, the leads their units' ones.
    assert (submitted.count(), queues) == (8, {"admin": 8, "union": 2, "sasac": 0, "hrss": 3, "economy": 0,
                                              "organisation": 0})


def test_an_attachment_whose_record_fails_leaves_no_file_behind(reporting, officers, settings, monkeypatch):
    report = _report(reporting, 6, "sasac")

    def failing_change_log(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "record_change", failing_change_log)
    with pytest.raises(RuntimeError):
        services.do_attach_file(report, SimpleUploadedFile("材料.pdf", PDF), acting_user=officers.sasac)
    assert not report.attachments.exists()
    assert [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] == []
