"""Routes of the roster import API, under /api/imports/."""

from rest_framework.routers import SimpleRouter

from workforce.imports.api import views

# <int:pk> path converters, as in the registry API; a simple router, since the list is the root here.
router = SimpleRouter(use_regex_path=False)
router.register("", views.RosterImportViewSet, basename="rosterimport")
urlpatterns = router.urls
