"""Start ``mbc serve`` in a subprocess on a free loopback port (shared by slow tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

_MAIN = "import sys; from mbc.cli import main; sys.exit(main(sys.argv[1:]))"
_ADDR = re.compile(r"mbc serving at (http://127\.0\.0\.1:\d+)/")


def start_server(
    db: Path, kb: Path, *, env: dict[str, str] | None = None, timeout: float = 30.0
) -> tuple[subprocess.Popen[str], str]:
    """Run ``mbc serve --port 0`` and return the process and its base URL."""
    proc_env = {**os.environ, "MBC_CDS_AUTH": "off", "MBC_LOG_FORMAT": "json", **(env or {})}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _MAIN,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--db",
            f"sqlite:///{db}",
            "--kb",
            str(kb),
            "--no-examples",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=proc_env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            continue
        m = _ADDR.search(line)
        if m:
            return proc, m.group(1)
    proc.kill()
    raise RuntimeError("server did not start in time")
