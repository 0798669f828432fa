from django.urls import path

from workforce.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("export.<str:fmt>", views.import_export, name="export"),
    path("template.xlsx", views.roster_template, name="template"),
    path("upload/", views.upload, name="upload"),
    path("synonyms/", views.synonyms, name="synonyms"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/report.xlsx", views.error_report, name="error_report"),
    path("<int:pk>/problems.<str:fmt>", views.problem_export, name="problem_export"),
    path("<int:pk>/leavers.<str:fmt>", views.leavers_export, name="leavers_export"),
    path("<int:pk>/file", views.original_file, name="original_file"),
]
