import pytest

from scripts.check_translations import ROOT, catalogues, problems


def test_every_app_and_the_project_have_a_swedish_catalogue():
    owners = {path.relative_to(ROOT).parts[0] for path in catalogues()}
    assert owners == {"locale", "core", "accounts", "regions", "forum", "dialogues", "reports", "followup", "portal"}


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.relative_to(ROOT).parts[0])
def test_swedish_catalogue_is_complete_and_compiled(po_path):
    assert problems(po_path) == []
