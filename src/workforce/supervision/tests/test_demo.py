"""The supervision demo data builds on the demo logins and can be run again."""

from django.core.management import call_command

from workforce.supervision.models import InspectionRound, ProgressReport, Task


def test_it_creates_demo_supervision_data_once(personas):
    call_command("supervision_demo")
    call_command("supervision_demo")
    assert Task.objects.count() == 4 and InspectionRound.objects.count() == 1
    assert ProgressReport.objects.exists()
