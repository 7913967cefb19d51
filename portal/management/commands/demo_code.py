from base64 import b32decode

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from portal.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of the demo users (their published demo key, README "
        '"Two-factor authentication"). It knows no other key.'
    )

    def handle(self, *args, **options):
        totp = TOTP(b32decode(DEMO_TOTP_SECRET))
        self.stdout.write(f"{totp.token():06d}  (valid for {30 - totp.time % 30:.0f} s more)")
