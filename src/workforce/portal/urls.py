"""Pages of the portal under ``/portal/`` (namespace ``portal``); the manifest and the service worker are at the
site's root (``root_urlpatterns``), where a service worker's scope must start."""

from django.urls import path

from workforce.portal.views import home, pwa, registrations, signup, union

app_name = "portal"
urlpatterns = [
    path("", home.portal_home, name="home"),
    path("sign-up/", signup.sign_up_view, name="sign_up"),
    path("password-reset/", signup.reset_view, name="reset"),
    path("card/<str:token>/", home.card_check, name="card_check"),
    path("union/", union.union_membership, name="union"),
    path("offline/", pwa.offline, name="offline"),
    path("registrations/", registrations.registration_list, name="registration_list"),
    path("registrations/<int:pk>/", registrations.registration_detail, name="registration_detail"),
    path("registrations/<int:pk>/decide/", registrations.registration_decide, name="registration_decide"),
]

# Included by the project's urls.py at the root.
root_urlpatterns = [
    path("manifest.webmanifest", pwa.manifest, name="pwa_manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
]
