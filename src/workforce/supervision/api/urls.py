"""Routes of the supervision API, under /api/supervision/."""

from rest_framework.routers import DefaultRouter

from workforce.supervision.api import views

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("reports", views.ProgressReportViewSet, basename="report")
router.register("inspections", views.InspectionRoundViewSet, basename="inspection")
urlpatterns = router.urls
