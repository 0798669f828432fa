"""Routes of the skills API, under /api/skills/."""

from rest_framework.routers import DefaultRouter

from workforce.skills.api import views

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("bodies", views.AppraisalBodyViewSet, basename="appraisalbody")
router.register("sessions", views.AppraisalSessionViewSet, basename="appraisalsession")
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("ladders", views.LadderViewSet, basename="ladder")
urlpatterns = router.urls
