"""Live events are sealed (AES-256-GCM, `cryptography`) before they go to Redis
and opened by the stream processes: anyone who can subscribe to the channel,
or read Redis's memory or traffic, sees no message text, names or subjects
(issue #19, finding 4; docs/EVENTS.md, "What Redis sees").

Keys come from EVENTS_ENCRYPTION_KEYS: comma-separated, each 32 random bytes in
URL-safe base64 (`python -c "import secrets, base64;
print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"`). The first
seals; every one opens, so keys rotate without losing events: add the new key
second on every process, then move it first, then drop the old one. Without
the setting, one key is derived from SECRET_KEY (HKDF-SHA256), which every
process of an installation shares already.

A sealed message: b"h1" + the key's 4-byte id + a 12-byte random nonce + the
ciphertext with its 16-byte tag. The channel name is the associated data, so
a message cannot be replayed onto another installation's channel.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"h1"
NONCE_BYTES = 12


class Unreadable(ValueError):
    """Not sealed by any key this process holds (or tampered with)."""


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:4]


@cache
def _keys(configured: str, secret: str) -> tuple[tuple[bytes, AESGCM], ...]:
    raw: list[bytes] = []
    for text in filter(None, (part.strip() for part in configured.split(","))):
        try:
            key = base64.urlsafe_b64decode(text.encode())
        except ValueError as exc:
            raise ImproperlyConfigured("EVENTS_ENCRYPTION_KEYS: not base64") from exc
        if len(key) != 32:
            raise ImproperlyConfigured("EVENTS_ENCRYPTION_KEYS: each key must be 32 bytes")
        raw.append(key)
    if not raw:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"huddle live events")
        raw.append(hkdf.derive(secret.encode()))
    return tuple((_key_id(key), AESGCM(key)) for key in raw)


def keys() -> tuple[tuple[bytes, AESGCM], ...]:
    return _keys(settings.EVENTS_ENCRYPTION_KEYS, settings.SECRET_KEY)


def seal(plain: bytes, channel: str) -> bytes:
    key_id, aead = keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + key_id + nonce + aead.encrypt(nonce, plain, channel.encode())


def open_sealed(sealed: bytes, channel: str) -> bytes:
    if not sealed.startswith(MAGIC):
        raise Unreadable("not a sealed event")
    key_id = sealed[2:6]
    nonce = sealed[6 : 6 + NONCE_BYTES]
    for candidate, aead in keys():
        if candidate == key_id:
            try:
                return aead.decrypt(nonce, sealed[6 + NONCE_BYTES :], channel.encode())
            except InvalidTag:
                break
    raise Unreadable("sealed with a key this process does not hold, or altered")
