"""Routes of the supervision API, under /api/supervision/."""

from rest_framework.routers import DefaultRouter

from workforce.supervision.api import views

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("reports", views.ProgressReportViewSet, basename="report")
router.register("inspections", views.InspectionRoundViewSet, basename="inspection")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("rectifications", views.RectificationViewSet, basename="rectification")
urlpatterns = router.urls
