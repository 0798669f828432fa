"""The supervision demo data builds on the demo logins and can be run again: the second run changes nothing."""

from django.core.management import call_command

from workforce.core.models import ChangeLogEntry
from workforce.supervision.models import Alert, InspectionRound, Milestone, ProgressReport, Rectification, Task


def state() -> tuple:
    return tuple(list(model.objects.order_by("pk").values()) for model in (
        Task, Milestone, ProgressReport, InspectionRound, Rectification, Alert, ChangeLogEntry))


def test_it_creates_demo_supervision_data_once(personas):
    call_command("supervision_demo")
    first = state()
    call_command("supervision_demo")
    assert state() == first
    assert Task.objects.count() == 4 and InspectionRound.objects.count() == 1
    assert ProgressReport.objects.exists()
