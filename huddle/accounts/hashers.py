"""Argon2id parameters for a server (docs/AUTH.md, "Password hashing").

Django's default Argon2 costs 100 MiB and 8 lanes per hash: a burst of sign-ins
took a worker far past its memory budget. OWASP's Password Storage Cheat Sheet
lists equally strong trade-offs of memory and time; Huddle takes its second,
12 MiB, 3 passes, 1 lane: the first (19 MiB, 2 passes) took a worker's peak just
past 120 MiB in a burst of sign-ins (docs/AUTH.md, "Password hashing"). Hashes
made with other parameters still verify, and are re-hashed with these at the
person's next sign-in (Django's `must_update`, under the same "argon2" name)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ServerArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at m=12 MiB, t=3, p=1 (one of OWASP's recommended settings)."""

    memory_cost = 12 * 1024  # KiB
    time_cost = 3
    parallelism = 1


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a small memory cost, for the test suite only (HUDDLE_ENV=test)."""

    memory_cost = 1024
    parallelism = 1
