from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneRoundPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 with one iteration instead of a million.

    The algorithm name stays `pbkdf2_sha256` and the iteration count is stored in each hash, so a
    user made in a test also logs in through a gunicorn subprocess with the production settings
    (the fault tests), where the hash is merely upgraded on first log-in.
    """

    iterations = 1
