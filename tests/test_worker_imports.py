"""A server worker's memory (issue #18, item 5; docs/PERFORMANCE.md, "Memory"):
the libraries only rare work needs — fpdf2 and fontTools for a thread's PDF,
qrcode for setting up two-factor sign-in — are not loaded when a worker starts
and loads every URL, and they load when that work comes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RARE = ["fontTools", "fpdf", "qrcode"]

PROBE = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
from huddle.wsgi import application
get_resolver().url_patterns
at_start = sorted(m for m in {rare} if m in sys.modules)
from huddle.records import pdf
from huddle.twofactor import devices
from django_otp.plugins.otp_totp.models import TOTPDevice
from huddle.accounts.models import User
devices.qr_svg(TOTPDevice(key="00" * 20, name="probe", user=User(email="probe@example.com")))
print(json.dumps([at_start, sorted(m for m in {rare} if m in sys.modules)]))
"""


def test_a_worker_starts_without_the_libraries_of_rare_work() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "huddle.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(rare=RARE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    at_start, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert at_start == []
    assert after == RARE
