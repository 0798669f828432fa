"""Routes of the unions API, under /api/unions/."""

from rest_framework.routers import DefaultRouter

from workforce.unions.api import views

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("applications", views.MembershipApplicationViewSet, basename="application")
urlpatterns = router.urls
