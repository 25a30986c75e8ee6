"""Servers the benchmark measures and the browser tests drive: ``streamlit run`` of an app
(through the workbench's launcher), and Datasette, on 127.0.0.1.

Server CPU is read from ``/proc/<pid>/stat`` (user + system time of the whole
process, every thread), memory from ``/proc/<pid>/status``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A process serving HTTP on a free port; ``cpu()`` and ``rss()`` read it live.

    The one server starter of the benchmarks and the browser tests
    (tests/browser_helpers.py): ``with`` it, or ``start()`` and ``stop()`` it. What the
    process says (stdout and stderr) goes to ``log`` when one is named, else to a
    temporary file removed at the stop; a server that does not start raises with the
    end of it."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], health: str,
                 log: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [a.replace("{port}", str(self.port)) for a in args]
        self.cwd, self.env, self.health, self.log = cwd, env, health, log
        self.proc: subprocess.Popen | None = None
        self._own_log: Path | None = None

    def start(self, timeout: float = 90) -> Server:
        if self.log is None:
            handle, name = tempfile.mkstemp(prefix="server-", suffix=".log")
            os.close(handle)
            self._own_log = Path(name)
        log = self.log or self._own_log
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(self.args, cwd=self.cwd,
                                         env={**os.environ, **self.env},
                                         stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.url + self.health, timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        said = log.read_bytes()[-4000:].decode(errors="replace")
        self.stop()
        raise RuntimeError(f"{self.args[:4]} did not start:\n{said}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a run that does not end
                self.proc.kill()
                self.proc.wait(timeout=30)
        if self._own_log:
            self._own_log.unlink(missing_ok=True)
            self._own_log = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def cpu(self) -> float:
        """Seconds of CPU the process has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss(self) -> int:
        """Resident memory in bytes."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0


def streamlit(app: Path, env: dict[str, str], config_dir: Path | None = None,
              launcher: str | None = "workbench.ui.serve",
              options: tuple[str, ...] = (), log: Path | None = None) -> Server:
    """The app served as coordinators get it: through the launcher module
    (``streamlit run`` without the Nagle delay) with the .streamlit/config.toml of
    ``config_dir`` (the app's own folder by default); ``launcher=None`` is plain
    ``streamlit run``, for a checkout from before the launcher. ``options`` are more
    of Streamlit's command-line options (``--runner.postScriptGC``, ``false``); ``log``
    a file for the server's log."""
    cwd = config_dir or app.parent
    start = ["-m", launcher, str(app)] if launcher else ["-m", "streamlit", "run", str(app)]
    return Server([sys.executable, *start, "--server.address", "127.0.0.1", "--server.port",
                   "{port}", "--server.headless", "true", "--browser.gatherUsageStats",
                   "false", *options], cwd, env, "/_stcore/health", log)


def datasette(db: Path, metadata: Path, plugins: Path | None = None) -> Server:
    return Server([sys.executable, "-m", "datasette", "serve", str(db), "--metadata",
                   str(metadata), "--host", "127.0.0.1", "--port", "{port}", "--setting",
                   "max_returned_rows", "5000",
                   *(["--plugins-dir", str(plugins)] if plugins else [])],
                  db.parent, {}, "/-/versions.json")
