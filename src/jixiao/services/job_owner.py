"""Which process runs a job, and whether that process is still there.

A job of the in-process runner (``JIXIAO_JOBS=thread``) lives in the threads of one server process;
when that process is killed (``kill -9``, an out-of-memory kill, a power cut) nothing else would ever
finish or fail its row. So the row names its process — ``owner_host`` (the host name), ``owner_pid``
and ``owner_boot``, a per-process boot id ``<kernel boot id>/<pid namespace>/<process start
time>/<random>`` — and carries a heartbeat (``heartbeat_at``) the process refreshes as the job goes
on and every ``JIXIAO_JOB_HEARTBEAT`` seconds (30) while it runs.

:func:`gone` decides, without false alarms on a live process:

* on the same machine (same host name, kernel boot and pid namespace — two containers with one host
  name are not the same machine) the operating system is asked: the owner is gone when its pid is
  not alive (or a zombie), when the pid is this very process but the boot id differs (a restarted
  container gets the same pid again), or when the pid now belongs to a process started at another
  time (the pid was reused);
* anywhere else only the heartbeat tells: gone when it is older than ``JIXIAO_JOB_STALLED`` seconds
  (300).
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path

HEARTBEAT = 30.0  # seconds between heartbeats of a running process (JIXIAO_JOB_HEARTBEAT)
STALLED = 300.0  # a heartbeat older than this, from another machine, means its process is gone (JIXIAO_JOB_STALLED)


@dataclass(frozen=True)
class Owner:
    host: str
    pid: int
    boot: str

    def values(self) -> dict:
        return {"owner_host": self.host, "owner_pid": self.pid, "owner_boot": self.boot}


_me: Owner | None = None


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state first), or [] without /proc."""
    text = _read(f"/proc/{pid}/stat")
    return text.rsplit(")", 1)[-1].split() if text else []


def _started(pid: int) -> str:
    fields = _stat(pid)
    return fields[19] if len(fields) > 19 else ""  # field 22, starttime (clock ticks after boot)


def _machine() -> str:
    try:
        namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        namespace = ""
    return f"{_read('/proc/sys/kernel/random/boot_id')}/{namespace}"


def me() -> Owner:
    """This process (computed again in a forked child: its pid differs)."""
    global _me
    pid = os.getpid()
    if _me is None or _me.pid != pid:
        _me = Owner(socket.gethostname()[:255], pid, f"{_machine()}/{_started(pid)}/{uuid.uuid4().hex}")
    return _me


def _parts(boot: str) -> tuple[str, str]:
    """(machine, start time) of a boot id."""
    parts = boot.split("/")
    if len(parts) != 4:
        return "?", ""
    return f"{parts[0]}/{parts[1]}", parts[2]


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, as another user
    except OSError:
        return False
    fields = _stat(pid)
    return not (fields and fields[0] in ("Z", "X"))  # a killed child not yet reaped is gone


def seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        return default
    return value if value > 0 else default


def gone(owner: Owner | None, heartbeat: datetime | None, now: datetime) -> bool:
    """Whether the process that owns a job is no longer there (see the module notes)."""
    mine = me()
    if owner is not None and owner.host == mine.host and owner.boot \
            and _parts(owner.boot)[0] == _parts(mine.boot)[0]:
        if owner.pid == mine.pid:
            return owner.boot != mine.boot
        if not _alive(owner.pid):
            return True
        started = _parts(owner.boot)[1]
        return bool(started) and _started(owner.pid) not in ("", started)
    stalled = seconds("JIXIAO_JOB_STALLED", STALLED)
    return heartbeat is None or now - heartbeat > timedelta(seconds=stalled)
