"""Argon2id parameters for a server (docs/AUTH.md, "Password hashing").

Django's default Argon2 costs 100 MiB and 8 lanes per hash: a burst of sign-ins
took a worker far past its memory budget. OWASP's Password Storage Cheat Sheet
lists equally strong trade-offs of memory and time; Huddle takes its first,
19 MiB, 2 passes, 1 lane. Hashes made with other parameters still verify, and
are re-hashed with these at the person's next sign-in (Django's `must_update`,
under the same "argon2" algorithm name)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ServerArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at m=19 MiB, t=2, p=1 (OWASP's first recommended setting)."""

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a small memory cost, for the test suite only (HUDDLE_ENV=test)."""

    memory_cost = 1024
    parallelism = 1
