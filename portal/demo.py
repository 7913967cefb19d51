"""Demo users, one per role (two regional users, so that county separation can be tried).

Here in portal rather than in accounts because a regional user needs its county (regions)."""

from base64 import b32decode

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.choices import CountyRole, Role
from accounts.models import User
from regions.models import Region

DEMO_PASSWORD = "Dialog-demo-2015"
# The authenticator key of the demo users whose role requires two-factor authentication (README,
# "Two-factor authentication"): add it to an authenticator app, or ask `manage.py demo_code`.
# Public, like the password: the demo users are for trying the portal out, never for real work.
DEMO_TOTP_SECRET = "DIALOGDEMOTOTPKEYFORALLDEMOUSERS"

DEMO_USERS = [
    {
        "email": "departementet@demo.test",
        "full_name": "Maria Departementet",
        "role": Role.MINISTRY,
        "title": "Departementssekreterare",
        "organisation": "Näringsdepartementet",
    },
    {
        "email": "registrator@demo.test",
        "full_name": "Rolf Registrator",
        "role": Role.MINISTRY,
        "is_registrar": True,
        "title": "Registrator",
        "organisation": "Näringsdepartementet",
    },
    {
        "email": "tillvaxtverket@demo.test",
        "full_name": "Tomas Tillväxtverket",
        "role": Role.AGENCY,
        "title": "Analytiker",
        "organisation": "Tillväxtverket",
    },
    {
        "email": "kalmar@demo.test",
        "full_name": "Karin Kalmar",
        "role": Role.REGION,
        "region_code": "08",
        "county_role": CountyRole.DIRECTOR,
        "title": "Regiondirektör",
        "organisation": "Regionförbundet i Kalmar län",
    },
    {
        "email": "kronoberg@demo.test",
        "full_name": "Kristian Kronoberg",
        "role": Role.REGION,
        "region_code": "07",
        "county_role": CountyRole.DIRECTOR,
        "title": "Regiondirektör",
        "organisation": "Region Kronoberg",
    },
    {
        "email": "kalmar.analys@demo.test",
        "full_name": "Anders Analys",
        "role": Role.REGION,
        "region_code": "08",
        "county_role": CountyRole.EDITOR,
        "title": "Analyschef",
        "organisation": "Region Kalmar län",
    },
    {
        "email": "admin@demo.test",
        "full_name": "Anna Administratör",
        "role": Role.ADMIN,
        "title": "Systemförvaltare",
        "organisation": "Näringsdepartementet",
    },
]


@transaction.atomic
def load() -> None:
    for spec in DEMO_USERS:
        spec = dict(spec)
        code = spec.pop("region_code", None)
        spec["region"] = Region.objects.get(code=code) if code else None
        email = spec.pop("email")
        user, created = User.objects.update_or_create(email=email, defaults=spec)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if mfa.second_factor_mandatory(user):
                TOTPDevice.objects.create(user=user, name="Demo", confirmed=True, key=b32decode(DEMO_TOTP_SECRET).hex())
