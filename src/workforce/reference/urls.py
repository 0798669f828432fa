from django.urls import path

from workforce.reference import views

app_name = "reference"
urlpatterns = [
    path("<str:table>/", views.reference_list, name="list"),
    path("<str:table>/<str:code>/edit/", views.reference_edit, name="edit"),
]
