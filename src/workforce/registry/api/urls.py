from rest_framework.routers import DefaultRouter

from workforce.registry.api import views

router = DefaultRouter()
router.register("workers", views.WorkerViewSet, basename="worker")
router.register("employers", views.EmployerViewSet, basename="employer")
urlpatterns = router.urls
