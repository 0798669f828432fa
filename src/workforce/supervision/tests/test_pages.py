"""Pages and scoping: a department sees and edits its own tasks and reports (and, as lead, its measures'),
leaders read everything and change nothing, other roles see nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workforce.accounts.models import User
from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry
from workforce.supervision.choices import ReviewDecision, TaskStatus
from workforce.supervision.models import ProgressReport, Task
from workforce.supervision.services import reports as report_services
from workforce.supervision.services import roadmap
from workforce.supervision.services.roadmap import DeadlineInput
from workforce.supervision.tests.conftest import department, measure

D = datetime.date
PDF = b"%PDF-1.4\n"


@pytest.fixture
def work(plan, officers):
    """Tasks of 市国资委 under §6 (led by 市总工会) and §1 (led by 市委组织部), one of 市人社局 under §8,
    and the first quarter of 2020's reports."""
    six, one, eight = measure(plan, 6), measure(plan, 1), measure(plan, 8)
    data = {"title": "国企厂务公开全覆盖", "start_date": D(2020, 1, 1), "due_date": D(2020, 6, 30)}
    sasac_six = roadmap.do_create_task(six, department("sasac"), data, acting_user=officers.sasac)
    sasac_one = roadmap.do_create_task(one, department("sasac"), data | {"title": "国企党建"},
                                       acting_user=officers.sasac)
    hrss_eight = roadmap.do_create_task(eight, department("hrss"), data | {"title": "订单式培训"},
                                        acting_user=officers.hrss)
    admin = User.objects.get(username="admin")
    report_services.do_start_reporting(plan, D(2020, 1, 1), acting_user=admin)
    report_services.open_reports(plan, D(2020, 2, 1))
    return {"sasac_six": sasac_six, "sasac_one": sasac_one, "hrss_eight": hrss_eight}


def test_a_department_sees_its_own_tasks_and_those_of_the_measures_it_leads(work, officers, personas):
    assert set(Task.objects.visible_to(officers.sasac)) == {work["sasac_six"], work["sasac_one"]}
    assert set(Task.objects.visible_to(officers.union)) == {work["sasac_six"]}  # 市总工会 leads §6, not §1
    assert set(Task.objects.visible_to(officers.hrss)) == {work["hrss_eight"]}
    assert Task.objects.visible_to(personas.leader).count() == 3
    assert Task.objects.visible_to(personas.dongqu_officer).count() == 0


def test_a_task_outside_scope_is_404_and_inside_is_shown(work, officers, sign_in):
    client = sign_in(officers.hrss)
    assert client.get(work["sasac_six"].get_absolute_url()).status_code == 404
    assert client.get(work["hrss_eight"].get_absolute_url()).status_code == 200


def test_a_department_cannot_plan_tasks_for_another(work, officers, sign_in):
    client = sign_in(officers.hrss)
    response = client.post(f"/supervision/measures/{measure(work['sasac_six'].measure.plan, 6).pk}/tasks/new/", {
        "department": department("sasac").pk, "title": "越权", "start_date": "2020-01-01",
        "due_date": "2020-02-01", "status": TaskStatus.PLANNED})
    assert response.status_code == 200 and "越权" not in Task.objects.values_list("title", flat=True)


def test_an_officer_plans_a_task_with_a_working_day_milestone(plan, officers, sign_in):
    client = sign_in(officers.sasac)
    six = measure(plan, 6)
    response = client.post(f"/supervision/measures/{six.pk}/tasks/new/", {
        "department": department("sasac").pk, "title": "职工董事制度", "start_date": "2019-09-01",
        "due_date": "2019-12-31", "status": TaskStatus.IN_PROGRESS, "indicator_codes": "soe_workers_congress"})
    task = Task.objects.get(title="职工董事制度")
    assert response.status_code == 302 and task.indicator_code_list == ["soe_workers_congress"]
    client.post(f"/supervision/tasks/{task.pk}/milestones/", {
        "title": "出台实施办法", "counted_from": "2019-09-30", "days": "1", "day_unit": "working"})
    assert task.milestones.get().due_date == D(2019, 10, 8)


def test_leaders_read_everything_and_change_nothing(work, personas, sign_in):
    client = sign_in(personas.leader)
    assert client.get(work["sasac_six"].get_absolute_url()).status_code == 200
    assert client.get("/supervision/").status_code == 200
    assert client.get(f"/supervision/tasks/{work['sasac_six'].pk}/edit/").status_code == 403
    report = ProgressReport.objects.filter(department=department("sasac")).first()
    response = client.post(report.get_absolute_url(), {"body": "领导代写", "version": report.version})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.body == ""


@pytest.mark.parametrize("persona", ["dongqu_officer", "steel_hr", "worker_user"])
def test_other_roles_do_not_reach_supervision(work, personas, sign_in, persona):
    client = sign_in(getattr(personas, persona))
    assert client.get("/supervision/").status_code == 403
    assert client.get(work["sasac_six"].get_absolute_url()).status_code == 403


def test_the_matrix_colours_overdue_cells(work, officers, sign_in, time_machine):
    time_machine.move_to(datetime.datetime(2020, 4, 16, 9, tzinfo=datetime.UTC))
    client = sign_in(officers.sasac)
    page = client.get("/supervision/").content.decode()
    assert page.count('data-status="overdue"') == ProgressReport.objects.values("measure", "department").count()
    assert "有逾期事项" in page


def test_the_department_page_lists_what_it_owes_and_is_404_for_others(work, officers, sign_in):
    client = sign_in(officers.sasac)
    page = client.get("/supervision/departments/sasac/").content.decode()
    assert "国企厂务公开全覆盖" in page and "2020年第1季度" in page
    assert client.get("/supervision/departments/hrss/").status_code == 404


def test_attachments_are_served_only_within_scope(work, officers, sign_in, client):
    report = ProgressReport.objects.get(measure=work["sasac_six"].measure, department=department("sasac"))
    attachment = report_services.do_attach_file(report, SimpleUploadedFile("证明.pdf", PDF),
                                                acting_user=officers.sasac)
    url = f"/supervision/attachments/{attachment.pk}/"
    response = sign_in(officers.union).get(url)  # lead of §6
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    client.logout()
    assert sign_in(officers.hrss).get(url).status_code == 404


def test_the_report_page_submits_and_the_lead_sends_it_back(work, officers, sign_in, client):
    report = ProgressReport.objects.get(measure=work["sasac_six"].measure, department=department("sasac"))
    sasac = sign_in(officers.sasac)
    response = sasac.post(report.get_absolute_url(), {"body": "一季度进展", "version": report.version, "submit": "1"})
    assert response.status_code == 302
    client.logout()
    union = sign_in(officers.union)
    assert "report_review" not in union.get("/supervision/inbox/").content.decode()
    assert report.get_absolute_url() in union.get("/supervision/inbox/").content.decode()
    union.post(f"/supervision/reports/{report.pk}/review/", {"decision": ReviewDecision.RETURNED, "comment": "补数据"})
    report.refresh_from_db()
    assert report.status == "returned"


def test_the_annual_report_downloads_as_xlsx_and_pdf(work, officers, personas, sign_in):
    report = ProgressReport.objects.get(measure=work["sasac_six"].measure, department=department("sasac"))
    report_services.do_save_report(report, "一季度厂务公开进展", expected_version=None, acting_user=officers.sasac)
    report_services.do_submit_report(report, acting_user=officers.sasac)
    report_services.do_review_report(report, ReviewDecision.ACCEPTED, "", acting_user=officers.union)
    roadmap.do_add_milestone(work["hrss_eight"], "出方案", DeadlineInput(due_date=D(2020, 3, 1)),
                             acting_user=officers.hrss)
    client = sign_in(personas.leader)
    response = client.get("/supervision/annual/?year=2020&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    progress = {row[0]: row for row in book["举措进展"].iter_rows(min_row=5, values_only=True)}
    assert progress[6][1:3] == ("健全民主监督机制", "市总工会") and progress[6][6:8] == (4, 1)  # due, accepted
    texts = list(book["报告内容"].iter_rows(min_row=5, values_only=True))
    assert texts == [("§6 健全民主监督机制 · 市国资委 · 2020年第1季度", "一季度厂务公开进展")]
    overdue = [row for row in book["逾期事项"].iter_rows(min_row=5, values_only=True)]
    assert ("任务节点", "市人力资源社会保障局", "订单式培训 · 出方案") in [row[:3] for row in overdue]
    pdf = client.get("/supervision/annual/?year=2020&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert sign_in(officers.sasac).get("/supervision/annual/?year=2020&format=xlsx").status_code == 403


def test_the_annual_report_shows_the_indicators_of_each_measure_and_of_the_city(work, personas, sign_in):
    from workforce.core.choices import Channel
    from workforce.registry.choices import EmployerFactKind
    from workforce.registry.services import set_employer_fact

    # 攀钢 (state-owned) holds a workers' congress from 2020; 米易县白马铁矿 (state-controlled) does not.
    set_employer_fact(personas.steel, EmployerFactKind.WORKERS_CONGRESS, valid_from=D(2020, 5, 1), valid_to=None,
                      is_independent=False, acting_user=None, channel=Channel.SYSTEM)
    response = sign_in(personas.leader).get("/supervision/annual/?year=2020&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    linked = [row for row in book["举措指标"].iter_rows(min_row=5, values_only=True) if row[0] == 6]
    assert linked == [  # numbers as numbers; the gap in percentage points
        (6, "健全民主监督机制", "国有及国有控股企业职工代表大会建制率", 50, 100, "2020年", 50,
         "未达成（2020-12-31：50.00%）"),
        (6, "健全民主监督机制", "国有及国有控股企业厂务公开建制率", 0, 100, "2020年", 100,
         "未达成（2020-12-31：0.00%）")]
    city = {row[0]: row[1:] for row in book["全市指标"].iter_rows(min_row=5, values_only=True)}
    # The year's report is read on 2020-12-31, the plan's targets' date: reached or not on that date, the
    # status the indicators dashboard gives (figures.assessment_of), not a progress status.
    assert city["技能人才总量"] == (0, 120000, "2020年", 120000, "未达成（2020-12-31：0人）")
    # the plan's 11, the two counting reported skill levels (decision 0013) and the other readings of three
    # of the plan's figures, monitored beside them (decision 0006, "The plan's own meanings"), and the
    # front-line party members with the post categories' coverage (issue 16)
    assert len(city) == 18


def test_the_annual_report_downloads_as_a_word_document(work, officers, personas, sign_in):
    import docx

    report = ProgressReport.objects.get(measure=work["sasac_six"].measure, department=department("sasac"))
    report_services.do_save_and_submit_report(report, "一季度厂务公开进展", expected_version=None,
                                              acting_user=officers.sasac)
    report_services.do_review_report(report, ReviewDecision.ACCEPTED, "", acting_user=officers.union)
    roadmap.do_add_milestone(work["hrss_eight"], "出方案", DeadlineInput(due_date=D(2020, 3, 1)),
                             acting_user=officers.hrss)
    response = sign_in(personas.leader).get("/supervision/annual/?year=2020&format=docx")
    assert response["Content-Disposition"].startswith('attachment; filename="annual-report-2020.docx"')
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "Head"))]
    assert headings[:2] == [("Title", "2020年度产业工人队伍建设改革推进情况报告"), ("Heading 1", "一、总体情况")]
    assert ("Heading 2", "表1 各项举措推进情况") in headings
    assert [p.text for p in document.paragraphs if p.text == "一季度厂务公开进展"] == ["一季度厂务公开进展"]
    texts = [p.text for p in document.paragraphs]
    assert "§6 健全民主监督机制 · 市国资委 · 2020年第1季度" in texts
    assert texts[texts.index("表3 督查发现与整改（0条）") + 1] == "无。"  # no inspection in 2020: no table
    progress, overdue, linked, city = document.tables

    def rows(table):
        return [[cell.text for cell in row.cells] for row in table.rows]

    assert rows(progress)[0] == ["序号", "举措", "牵头单位", "责任单位", "任务", "已完成", "应报报告", "已通过",
                                 "逾期事项"]
    assert [row[1] for row in rows(progress)[1:]] == list(work["sasac_six"].measure.plan.measures.order_by(
        "number").values_list("title", flat=True))
    assert ["任务节点", "市人力资源社会保障局", "订单式培训 · 出方案", "2020年3月1日"] in rows(overdue)
    assert ["6", "健全民主监督机制", "国有及国有控股企业厂务公开建制率", "0.00%", "≥100.00%", "2020年",
            "100.00 个百分点", "未达成（2020-12-31：0.00%）"] in rows(linked)
    assert rows(city)[1] == ["技能人才总量", "0人", "≥120,000人", "2020年", "120,000人", "未达成（2020-12-31：0人）"]


def test_a_task_planned_in_error_is_deleted_with_its_milestones_and_the_change_log_keeps_it(work, officers, sign_in):
    from workforce.core.models import ChangeLogEntry

    task = work["sasac_one"]
    roadmap.do_add_milestone(task, "出方案", DeadlineInput(due_date=D(2020, 3, 1)), acting_user=officers.sasac)
    response = sign_in(officers.sasac).post(f"/supervision/tasks/{task.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == task.measure.get_absolute_url()
    assert not Task.objects.filter(pk=task.pk).exists()
    entry = ChangeLogEntry.objects.get(action="delete", object_id=task.pk)
    assert (entry.before["title"], entry.before["milestones"], entry.user_name) == (
        "国企党建", ["出方案 2020-03-01"], "sasac")


def test_a_task_with_an_accepted_report_in_its_timetable_is_not_deleted(work, officers, sign_in):
    report = ProgressReport.objects.get(measure=work["sasac_six"].measure, department=department("sasac"))
    report_services.do_save_and_submit_report(report, "一季度进展", expected_version=None, acting_user=officers.sasac)
    report_services.do_review_report(report, ReviewDecision.ACCEPTED, "", acting_user=officers.union)
    client = sign_in(officers.sasac)
    response = client.post(f"/supervision/tasks/{work['sasac_six'].pk}/delete/", follow=True)
    assert Task.objects.filter(pk=work["sasac_six"].pk).exists()
    assert [str(m) for m in response.context["messages"]] == [
        "本部门在该任务时间表内的进展报告已通过审核，报告可能涉及该任务，不能删除；如任务不再执行，请修改其状态或完成时限。"]


def test_a_lead_department_cannot_delete_a_responsible_departments_task(work, officers, sign_in):
    response = sign_in(officers.union).post(f"/supervision/tasks/{work['sasac_six'].pk}/delete/")
    assert response.status_code == 403 and Task.objects.filter(pk=work["sasac_six"].pk).exists()


def test_the_home_page_card_counts_what_the_user_has_to_do(work, officers, personas, sign_in, client,
                                                             time_machine):
    time_machine.move_to(datetime.datetime(2020, 4, 16, 9, tzinfo=datetime.UTC))
    report = ProgressReport.objects.get(measure=work["sasac_six"].measure, department=department("sasac"))
    report_services.do_save_and_submit_report(report, "一季度进展", expected_version=None, acting_user=officers.sasac)
    from workforce.supervision.services.alerts import refresh_alerts

    refresh_alerts(D(2020, 4, 16))
    # 市总工会 leads §6: 市国资委's submitted report waits for it; its own first-quarter reports are overdue.
    union_owes = ProgressReport.objects.filter(department=department("city-union")).count()
    led = ProgressReport.objects.filter(measure__links__department=department("city-union"),
                                        measure__links__role="lead").exclude(department=department("city-union"))
    overdue = union_owes + led.exclude(pk=report.pk).count()
    page = sign_in(officers.union).get("/").content.decode()
    assert f"逾期事项 {overdue} 项，待我审核的报告 1 份。" in page
    client.logout()
    assert 'id="supervision-card"' not in sign_in(personas.dongqu_officer).get("/").content.decode()


def test_one_overdue_figure_on_the_home_page_the_matrix_and_the_inbox(work, personas, sign_in, time_machine):
    """Tasks past their time limit are overdue like reports, milestones and rectification items: the home
    card, the matrix and the alerts of the inbox count the same items (issue 15 point 6)."""
    from workforce.supervision.models import Alert
    from workforce.supervision.services.alerts import refresh_alerts

    time_machine.move_to(datetime.datetime(2020, 7, 15, 9, tzinfo=datetime.UTC))
    refresh_alerts(D(2020, 7, 15))
    overdue = Alert.objects.open().count()
    assert Alert.objects.open().filter(kind="task_overdue").count() == 3  # the three tasks due 2020-06-30
    client = sign_in(personas.city_admin)

    home, matrix = (client.get(url).content.decode() for url in ("/", "/supervision/"))

    assert f"逾期事项 {overdue} 项，待我审核的报告 0 份。" in home
    assert f"逾期事项 {overdue} 项，待我审核的报告 0 份。" in matrix
    assert "逾期预警" not in home and "逾期预警" not in matrix.split("举措 × 部门")[0]


def test_the_read_only_leader_is_not_asked_to_review(work, personas, sign_in, time_machine):
    time_machine.move_to(datetime.datetime(2020, 7, 15, 9, tzinfo=datetime.UTC))
    client = sign_in(personas.leader)

    home, matrix = (client.get(url).content.decode() for url in ("/", "/supervision/"))

    overdue = Task.objects.count() + ProgressReport.objects.filter(due_date__lt=D(2020, 7, 15)).count()
    assert f"逾期事项 {overdue} 项。" in home and f"逾期事项 {overdue} 项。" in matrix
    assert "审核" not in home and "待我审核" not in matrix


@pytest.mark.parametrize("query", ["", "?year=1900", "?year=二〇二〇"])
def test_an_annual_report_without_a_valid_year_goes_back_to_the_matrix_saying_why(personas, sign_in, plan, query):
    client = sign_in(personas.leader)
    response = client.get(f"/supervision/annual/{query}", follow=True)
    assert response.redirect_chain == [("/supervision/", 302)]
    assert "年度：" in response.content.decode()
    assert not AccessLogEntry.objects.filter(event=AccessEvent.EXPORT).exists()


@pytest.mark.parametrize("url", ["/supervision/annual/?year=2020&format=xlsx",
                                 "/supervision/annual/?year=2020&format=pdf",
                                 "/supervision/annual/?year=2020&format=docx", "attachment"])
def test_every_supervision_download_forbids_caching(work, officers, personas, sign_in, url):
    if url == "attachment":
        report = ProgressReport.objects.get(measure=work["sasac_six"].measure, department=department("sasac"))
        attachment = report_services.do_attach_file(report, SimpleUploadedFile("证明.pdf", PDF),
                                                    acting_user=officers.sasac)
        url, user = f"/supervision/attachments/{attachment.pk}/", officers.sasac
    else:
        user = personas.leader

    response = sign_in(user).get(url)

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert (response["Cache-Control"], response["Pragma"]) == ("no-store, private", "no-cache")
