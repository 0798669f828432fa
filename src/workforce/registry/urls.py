from django.urls import path

from workforce.registry.views import employers, exports, workers

app_name = "registry"
urlpatterns = [
    path("workers/", workers.worker_list, name="worker_list"),
    path("workers/new/", workers.worker_create, name="worker_create"),
    path("workers/export.<str:fmt>", exports.worker_export, name="worker_export"),
    path("workers/duplicates/", workers.duplicates, name="duplicates"),
    path("workers/<int:pk>/", workers.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", workers.worker_edit, name="worker_edit"),
    path("workers/<int:pk>/unmask/", workers.worker_unmask, name="worker_unmask"),
    path("workers/<int:pk>/employment/", workers.employment_add, name="employment_add"),
    path("workers/<int:pk>/certificates/", workers.certificate_add, name="certificate_add"),
    path("workers/<int:pk>/membership/", workers.membership_start, name="membership_start"),
    path("employment/<int:pk>/end/", workers.employment_end, name="employment_end"),
    path("employment/<int:pk>/contracts/", workers.contract_add, name="contract_add"),
    path("membership/<int:pk>/end/", workers.membership_end, name="membership_end"),
    path("employers/", employers.employer_list, name="employer_list"),
    path("employers/choices/", employers.employer_choices, name="employer_choices"),
    path("employers/new/", employers.employer_create, name="employer_create"),
    path("employers/export.<str:fmt>", exports.employer_export, name="employer_export"),
    path("employers/<int:pk>/", employers.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", employers.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/facts/", employers.employer_fact_add, name="employer_fact_add"),
]
