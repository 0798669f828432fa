from django.urls import path

from workforce.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("quality/", views.data_quality, name="quality"),
    path("report.<str:fmt>", views.report, name="report"),
    path("<slug:code>/", views.indicator_detail, name="detail"),
    path("<slug:code>/records/", views.indicator_records, name="records"),
    path("<slug:code>/edit/", views.indicator_edit, name="edit"),
    path("<slug:code>/targets/", views.target_add, name="target_add"),
    path("<slug:code>/targets/<int:pk>/remove/", views.target_remove, name="target_remove"),
]
