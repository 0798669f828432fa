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
    assert Task.objects.count() == 6 and InspectionRound.objects.count() == 1
    assert ProgressReport.objects.exists()


def test_the_demo_shows_a_healthy_reform_with_a_little_overdue_work(personas):
    """Dated relative to the day it runs (issue 15): a task done, others on track, three overdue items
    (a task, a milestone, a rectification item), no report overdue, one waiting for review."""

    from django.utils import timezone

    from workforce.supervision import selectors
    from workforce.supervision.choices import CellStatus, ReportStatus

    call_command("supervision_demo")
    today = timezone.localdate()
    counts = selectors.matrix(selectors.current_plan(), today)["counts"]

    assert (counts[CellStatus.DONE], counts[CellStatus.ON_TRACK], counts[CellStatus.OVERDUE]) == (1, 2, 3)
    assert sorted(Alert.objects.open().values_list("kind", flat=True)) == [
        "milestone_overdue", "rectification_overdue", "task_overdue"]
    assert selectors.overdue_count(personas.city_admin, today) == 3
    assert not ProgressReport.objects.filter(due_date__lt=today).exists()
    assert ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 1
    assert Task.objects.filter(due_date__gte=today).count() == 4
