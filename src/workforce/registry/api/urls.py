"""Routes of the registry API, under /api/registry/."""

from rest_framework.routers import DefaultRouter

from workforce.registry.api import views

# <int:pk> path converters (ids are integers in the schema too); JSON only, so no ".json" suffix routes.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("workers", views.WorkerViewSet, basename="worker")
router.register("spells", views.EmploymentSpellViewSet, basename="spell")
router.register("memberships", views.UnionMembershipViewSet, basename="membership")
router.register("employers", views.EmployerViewSet, basename="employer")
urlpatterns = router.urls
