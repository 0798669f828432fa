from django.urls import path

from workforce.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in_view, name="login"),
    path("logout/", views.sign_out_view, name="logout"),
    path("two-factor/", views.two_factor_view, name="two_factor"),
]
