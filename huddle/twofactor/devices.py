"""What a user's two-factor sign-in looks like: their authenticator app (a
django-otp TOTP device) and their one-time recovery codes (a static device)."""

from __future__ import annotations

from base64 import b32encode

from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huddle.accounts.models import User

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_COUNT = 10
# The audit log's detail for a failed sign-in at the code step.
WRONG_CODE_REASON = "wrong authentication code"


def app_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// link as an inline SVG QR code: made here, no outside service,
    and no style attribute (the Content-Security-Policy allows none). qrcode (and
    the Pillow it pulls in) loads with the first set-up, not in every server
    worker at start (docs/PERFORMANCE.md, "Memory")."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = str(image.to_string(encoding="unicode"))
    # Our own markup from qrcode: the only text in it is the path data.
    return mark_safe(svg)  # noqa: S308  # nosec: generated SVG, no user text


def normalize_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def is_app_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


@transaction.atomic
def check_code(user: User, code: str) -> tuple[Device | None, int]:
    """Verify a code from the app (6 digits) or a recovery code (used up on success).

    Returns the device that accepted it, or None and the seconds to wait when
    django-otp's back-off after wrong codes refuses to check now (else 0).
    A code from the app is accepted once only: the device keeps the time step
    of the last one it accepted (`last_t`).
    """
    code = normalize_code(code)
    device: TOTPDevice | StaticDevice | None
    if is_app_code(code):
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None or not code:
        return None, 0
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = 1
        if locked_until is not None:
            wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
        return None, wait
    return (device if device.verify_token(code) else None), 0
