from django.urls import path

from workforce.unions.views import applications, organisations

app_name = "unions"
urlpatterns = [
    path("", organisations.organisation_tree, name="tree"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/members/", organisations.member_list, name="member_list"),
    path("organisations/<int:pk>/members/export.<str:fmt>", organisations.member_export, name="member_export"),
    path("applications/", applications.application_list, name="application_list"),
    path("applications/new/", applications.application_create, name="application_create"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/review/", applications.application_review, name="application_review"),
]
