"""The report table's poll swaps its status line out of band: every page that loads the table must
hold the target, or htmx logs htmx:oobErrorNoTarget and the status is never announced (issue #15)."""

import re

import pytest
from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}


def _oob_ids(html: str) -> list[str]:
    return re.findall(r'<[a-z]+[^>]*\bid="([^"]+)"[^>]*\bhx-swap-oob=', html, re.S)


@pytest.mark.parametrize("page", ["dialogues:round_detail", "reports:report_list"])
def test_every_out_of_band_target_of_the_report_poll_is_in_the_page(client, ministry_user, closed_round, page):
    client.force_login(ministry_user)
    poll = client.get(reverse("reports:report_status", args=[closed_round.pk]), **HTMX).content.decode()
    targets = _oob_ids(poll)
    assert targets == ["report-status"]
    html = client.get(reverse(page, args=[closed_round.pk])).content.decode()
    for target in targets:
        assert f'id="{target}"' in html, f"{page} lacks #{target}"
    # The target is a live region, so the status is read out when it changes.
    assert re.search(r'<p id="report-status"\s+role="status"', html)
