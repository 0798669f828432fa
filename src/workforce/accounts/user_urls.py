from django.urls import path

from workforce.accounts import security_views, user_views

app_name = "users"
urlpatterns = [
    path("", user_views.user_list, name="list"),
    path("new/", user_views.user_create, name="create"),
    path("<int:pk>/edit/", user_views.user_edit, name="edit"),
    path("<int:pk>/unlock/", security_views.user_unlock, name="unlock"),
]
