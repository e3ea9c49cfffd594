"""The builder as a command, run by `make bench` with production settings:

python -m bench.build_cli build SIZES WORLD.json   # migrate DATABASE_URL, build, save ids
python -m bench.build_cli tokens WORLD.json        # print fresh bearer tokens as JSON
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddle.settings")
    django.setup()
    from django.core.management import call_command

    from bench.build import build, issue_tokens
    from bench.sizes import BY_NAME

    command, *rest = argv
    if command == "build":
        sizes_name, out = rest
        call_command("migrate", verbosity=0, interactive=False)
        Path(out).write_text(json.dumps(build(BY_NAME[sizes_name])))
    elif command == "tokens":
        (world_file,) = rest
        print(json.dumps(issue_tokens(json.loads(Path(world_file).read_text()))))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
