import pytest

from workforce.accounts.models import Department
from workforce.indicators.models import Indicator
from workforce.indicators.seed import ensure_indicators
from workforce.indicators.storage import forget_columns


@pytest.fixture(autouse=True)
def _seeded_indicators(request):
    """The seeded indicators, also after a live-server test flushed the migrations' data."""
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("db" if "db" in request.fixturenames else "transactional_db")
        ensure_indicators(Indicator, Department)
    forget_columns()


@pytest.fixture(autouse=True)
def _columns_on_disk_in_a_temporary_folder(settings, tmp_path):
    """Columns written to the disk (PostgreSQL, file databases) go to the test's own folder, never var/."""
    settings.INDICATOR_COLUMNS_DIR = tmp_path / "indicator-columns"
