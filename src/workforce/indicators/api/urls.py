"""Routes of the indicators API, under /api/indicators/."""

from rest_framework.routers import SimpleRouter

from workforce.indicators.api import views

router = SimpleRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("", views.IndicatorViewSet, basename="indicator")
urlpatterns = router.urls
