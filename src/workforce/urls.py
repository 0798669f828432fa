from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from workforce.accounts import urls as accounts_urls
from workforce.core import views as core_views
from workforce.portal import urls as portal_urls

api_patterns = [
    path("registry/", include("workforce.registry.api.urls")),
    path("imports/", include("workforce.imports.api.urls")),
    path("indicators/", include("workforce.indicators.api.urls")),
    path("supervision/", include("workforce.supervision.api.urls")),
    path("unions/", include("workforce.unions.api.urls")),
    path("skills/", include("workforce.skills.api.urls")),
    path("auth/", include("workforce.accounts.api.urls")),
    path("portal/", include("workforce.portal.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
         name="docs"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("workforce.accounts.urls")),
    path("access-log/", core_views.access_log, name="access_log"),
    path("registry/", include("workforce.registry.urls")),
    path("reference/", include("workforce.reference.urls")),
    path("imports/", include("workforce.imports.urls")),
    path("indicators/", include("workforce.indicators.urls")),
    path("supervision/", include("workforce.supervision.urls")),
    path("unions/", include("workforce.unions.urls")),
    path("portal/", include("workforce.portal.urls")),
    path("", include(portal_urls.root_urlpatterns)),
    path("skills/", include("workforce.skills.urls")),
    path("users/", include((accounts_urls.user_urlpatterns, "users"))),
    path("api/", include(api_patterns)),
]
