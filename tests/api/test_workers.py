"""``mbc serve --workers N`` really forks N worker processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if (
                int(stat.rsplit(")", 1)[1].split()[1]) == pid
                and b"spawn_main" in (d / "cmdline").read_bytes()
            ):
                out.append(int(d.name))
    return out


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to count processes")
def test_workers_fork(tmp_path: Path, fixture_kb_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "MBC_AUTH": "off", "MBC_SECRET_KEY": "w" * 40, "MBC_RATE_LIMIT_PER_S": "0"}
    cmd = [
        sys.executable,
        "-c",
        "import sys; from mbc.cli import main; sys.exit(main(sys.argv[1:]))",
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
        "--no-examples",
        "--db",
        f"sqlite:///{tmp_path / 'w.db'}",
        "--kb",
        str(fixture_kb_path),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.get(f"http://127.0.0.1:{port}/v1/ping", timeout=1).status_code == 200
                    and len(_children(proc.pid)) >= 2
                ):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        assert len(_children(proc.pid)) == 2
    finally:
        proc.terminate()
        proc.wait(timeout=20)
