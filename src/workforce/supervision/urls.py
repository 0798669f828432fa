from django.urls import path

from workforce.supervision.views import inspections, pages, reports, roadmap

app_name = "supervision"
urlpatterns = [
    path("", pages.matrix, name="matrix"),
    path("inbox/", pages.inbox, name="inbox"),
    path("reporting/start/", pages.start_reporting, name="start_reporting"),
    path("annual/", pages.annual_report, name="annual_report"),
    path("annual/narrative/", pages.annual_narrative, name="annual_narrative"),
    path("measures/<int:pk>/", pages.measure_detail, name="measure_detail"),
    path("measures/<int:measure_pk>/tasks/new/", roadmap.task_create, name="task_create"),
    path("departments/<slug:code>/", pages.department_detail, name="department_detail"),
    path("tasks/<int:pk>/", roadmap.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", roadmap.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", roadmap.task_delete, name="task_delete"),
    path("tasks/<int:pk>/milestones/", roadmap.milestone_add, name="milestone_add"),
    path("tasks/<int:pk>/milestones/<int:milestone_pk>/complete/", roadmap.milestone_complete,
         name="milestone_complete"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/attachments/", reports.attachment_add, name="attachment_add"),
    path("reports/<int:pk>/attachments/<int:attachment_pk>/remove/", reports.attachment_remove,
         name="attachment_remove"),
    path("reports/<int:pk>/review/", reports.report_review, name="report_review"),
    path("attachments/<int:pk>/", reports.attachment_download, name="attachment_download"),
    path("inspections/", inspections.round_list, name="round_list"),
    path("inspections/new/", inspections.round_create, name="round_create"),
    path("inspections/<int:pk>/", inspections.round_detail, name="round_detail"),
    path("inspections/<int:pk>/findings/", inspections.finding_add, name="finding_add"),
    path("inspections/<int:pk>/close/", inspections.round_close, name="round_close"),
    path("findings/<int:finding_pk>/rectifications/", inspections.rectification_add, name="rectification_add"),
    path("rectifications/<int:pk>/report/", inspections.rectification_report, name="rectification_report"),
    path("rectifications/<int:pk>/close/", inspections.rectification_close, name="rectification_close"),
]
