"""Two confirmations of the same checked import, at the same moment, on two real PostgreSQL connections.

The checked file waits in a stash row; the confirmation claims it (`SELECT ... FOR UPDATE`, then
deletes it) in the transaction that saves the lines, and locks the counties' allocations before
replacing their use. So however the two requests interleave, one saves and the other is told the
file was already saved; the county's use is the file's, not twice the file's.

To make the two requests really meet, a third connection holds the stash row locked until both
confirmations are waiting for it (seen in pg_stat_activity), then lets go.
"""

import io
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from followup import services
from followup.models import Allocation, Expenditure, ImportStash
from tests.followup.conftest import xlsx

pytestmark = pytest.mark.django_db(transaction=True)

# 6 of Kalmar's 10 million: within the frame once, past it twice.
ROWS = [
    ["08", "Kalmar län", "Projektverksamhet", 1, 4_000_000, "nej", "Innovationsprojekt"],
    ["08", "Kalmar län", "Övrigt", "", 2_000_000, "nej", "Förstudie"],
]


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _in_thread(target):
    def run():
        try:
            target()
        finally:
            connection.close()  # each thread has its own connection; the test database is dropped afterwards

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_import_confirm_twice_at_once_saves_the_file_once_and_tells_the_second(client, region_user, year_2015):
    client.force_login(region_user)
    upload = io.BytesIO(xlsx(ROWS))
    upload.name = "anvandning.xlsx"
    html = client.post(reverse("followup:import", kwargs={"year": 2015}), {"file": upload}).content.decode()
    assert "Filen är korrekt: 2 rader" in html
    confirm = reverse("followup:import_confirm", kwargs={"year": 2015})

    held, release = threading.Event(), threading.Event()

    def hold_the_stash():
        with transaction.atomic():
            ImportStash.objects.select_for_update().get()
            held.set()
            release.wait(60)

    pages = []

    def confirm_once():
        other = Client()
        other.cookies = client.cookies  # the same browser session, clicked twice (or two tabs)
        pages.append(other.post(confirm, follow=True).content.decode())

    holder = _in_thread(hold_the_stash)
    assert held.wait(30)
    confirmations = [_in_thread(confirm_once), _in_thread(confirm_once)]
    deadline = time.monotonic() + 30  # a bound on the wait, not a timing assertion
    while _waiting_on_locks() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_locks() == 2, "both confirmations should be waiting for the stash row"
    release.set()
    for thread in [holder, *confirmations]:
        thread.join(60)

    assert len(pages) == 2
    saved = [page for page in pages if "2 rader sparades" in page]
    refused = [page for page in pages if "Filen är redan sparad, eller så har kontrollen av den gått ut" in page]
    assert (len(saved), len(refused)) == (1, 1)
    kalmar = Expenditure.objects.filter(allocation=year_2015["kalmar"])
    assert kalmar.count() == 2
    assert kalmar.aggregate(total=Sum("amount"))["total"] == 6_000_000
    assert not ImportStash.objects.exists()


def test_import_confirm_after_the_file_was_saved_is_refused_and_changes_nothing(client, region_user, year_2015):
    client.force_login(region_user)
    upload = io.BytesIO(xlsx(ROWS))
    upload.name = "anvandning.xlsx"
    client.post(reverse("followup:import", kwargs={"year": 2015}), {"file": upload})
    confirm = reverse("followup:import_confirm", kwargs={"year": 2015})
    session_before = dict(client.session)  # the second tab still holds the preview's session
    assert "2 rader sparades" in client.post(confirm, follow=True).content.decode()

    session = client.session
    session.update(session_before)
    session.save()
    html = client.post(confirm, follow=True).content.decode()
    assert "Filen är redan sparad" in html
    assert Expenditure.objects.filter(allocation=year_2015["kalmar"]).count() == 2


def test_import_confirm_while_the_frame_is_lowered_checks_the_new_frame_after_the_write(client, region_user, year_2015):
    """The frame is lowered in a transaction that commits while the confirmation waits for the county's row:
    the file passed the checks against the old frame, and the check after the write, under the lock, refuses it."""
    client.force_login(region_user)
    upload = io.BytesIO(xlsx(ROWS))
    upload.name = "anvandning.xlsx"
    client.post(reverse("followup:import", kwargs={"year": 2015}), {"file": upload})
    kalmar = year_2015["kalmar"]
    held, release = threading.Event(), threading.Event()

    def lower_the_frame():
        with transaction.atomic():
            Allocation.objects.filter(pk=kalmar.pk).update(frame_amount=5_000_000)
            held.set()
            release.wait(60)

    pages = []
    holder = _in_thread(lower_the_frame)
    assert held.wait(30)
    confirmation = _in_thread(
        lambda: pages.append(
            client.post(reverse("followup:import_confirm", kwargs={"year": 2015}), follow=True).content.decode()
        )
    )
    deadline = time.monotonic() + 30  # a bound on the wait, not a timing assertion
    while _waiting_on_locks() < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_locks() == 1, "the confirmation should be waiting for Kalmar's allocation"
    release.set()
    for thread in (holder, confirmation):
        thread.join(60)

    assert "Filen sparades inte." in pages[0]
    assert "överstiger ramen" in pages[0]
    assert not Expenditure.objects.filter(allocation=kalmar).exists()


def test_frames_confirm_while_a_form_saves_a_county_is_refused_and_saves_nothing(client, ministry_user, year_2015):
    """A form saves Kalmar's frame in a transaction that commits while the frames confirmation waits for
    Kalmar's row: the confirmation then sees Kalmar's newer version and saves none of the file."""
    client.force_login(ministry_user)
    upload = io.BytesIO(xlsx([["08", "", 7_000_000], ["07", "", 6_000_000]], header=["länskod", "län", "ram"]))
    upload.name = "ramar.xlsx"
    assert (
        "Filen är korrekt: 2 län"
        in client.post(reverse("followup:frames_import", kwargs={"year": 2015}), {"file": upload}).content.decode()
    )
    kalmar = year_2015["kalmar"]
    held, release = threading.Event(), threading.Event()

    def save_the_form():
        with transaction.atomic():
            services.allocation_update(
                allocation=Allocation.objects.select_related("region", "appropriation").get(pk=kalmar.pk),
                expected_version=kalmar.version,
                frame_amount=Decimal(12_000_000),
                conditions_decided_on=None,
                conditions="Från formuläret",
                reporting_requirements="",
            )
            held.set()
            release.wait(60)

    pages = []
    holder = _in_thread(save_the_form)
    assert held.wait(30)
    confirmation = _in_thread(
        lambda: pages.append(
            client.post(reverse("followup:frames_import_confirm", kwargs={"year": 2015}), follow=True).content.decode()
        )
    )
    deadline = time.monotonic() + 30  # a bound on the wait, not a timing assertion
    while _waiting_on_locks() < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_locks() == 1, "the confirmation should be waiting for Kalmar's row"
    release.set()
    for thread in (holder, confirmation):
        thread.join(60)

    assert "Någon ändrade ramen eller villkoren för Kalmar län efter din förhandsgranskning" in pages[0]
    frames = dict(Allocation.objects.values_list("region__code", "frame_amount"))
    assert frames == {"08": 12_000_000, "07": 5_000_000}
