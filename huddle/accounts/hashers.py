"""Argon2id parameters for a server (docs/AUTH.md, "Password hashing").

Django's default Argon2 costs 100 MiB and 8 lanes per hash: a burst of sign-ins
took a worker far past its memory budget. OWASP's Password Storage Cheat Sheet
lists equally strong trade-offs of memory and time; a server worker's memory is
what runs out (each sign-in in progress holds the hash's memory), so Huddle takes
the one that needs least, 7 MiB with 5 passes and 1 lane, no slower than the
others (docs/AUTH.md, "Password hashing"). Hashes made with other parameters
still verify, and are re-hashed with these at the person's next sign-in
(Django's `must_update`, under the same "argon2" name)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ServerArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at m=7 MiB, t=5, p=1 (OWASP's least-memory recommended setting)."""

    memory_cost = 7 * 1024  # KiB
    time_cost = 5
    parallelism = 1


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a small memory cost, for the test suite only (HUDDLE_ENV=test)."""

    memory_cost = 1024
    parallelism = 1
