from rest_framework import viewsets

from workforce.registry.models import Employer, Worker


class WorkerViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return Worker.objects.visible_to(self.request.user)


class EmployerViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return Employer.objects.visible_to(self.request.user)
