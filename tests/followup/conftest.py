import io

import pytest
from openpyxl import Workbook

from followup.importing import HEADER
from tests.factories.followup import AllocationFactory, AppropriationFactory
from tests.factories.regions import RegionalStrategyFactory, StrategyPriorityFactory


def xlsx(rows, header=HEADER) -> bytes:
    """An XLSX file with the import header and `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


@pytest.fixture
def year_2015(region_a, region_b):
    """Appropriation 2015: frames for Kalmar (10 mnkr) and Kronoberg (5 mnkr); Kalmar's RUS has priorities 1, 2."""
    appropriation = AppropriationFactory(year=2015)
    kalmar = AllocationFactory(appropriation=appropriation, region=region_a, frame_amount=10_000_000)
    kronoberg = AllocationFactory(appropriation=appropriation, region=region_b, frame_amount=5_000_000)
    strategy = RegionalStrategyFactory(region=region_a, start_year=2014, end_year=2020)
    StrategyPriorityFactory(strategy=strategy, number=1, title="Innovation och företagande")
    StrategyPriorityFactory(strategy=strategy, number=2, title="Kompetensförsörjning")
    return {"appropriation": appropriation, "kalmar": kalmar, "kronoberg": kronoberg}
