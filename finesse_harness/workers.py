"""Which worker process of a server answered a request (a gadget server under gunicorn with several workers),
told from the kernel on Linux: the process holding the server end of the client's connection (``/proc``), so
the server needs no header naming its process. ``post_fresh`` sends a request on a connection of its own."""

import contextlib
import http.client
import json
import os
import pathlib
import time
from typing import Any
from urllib.parse import urlsplit


def server_pid(connection: http.client.HTTPConnection) -> int:
    """The process holding the server end of ``connection`` (open, to a server on 127.0.0.1)."""
    if connection.sock is None:
        raise RuntimeError("the connection is not open")
    client_port = connection.sock.getsockname()[1]
    server_port = connection.sock.getpeername()[1]
    wanted = [f"0100007F:{server_port:04X}", f"0100007F:{client_port:04X}"]
    rows = [row.split() for row in pathlib.Path("/proc/net/tcp").read_text().splitlines()[1:]]
    inode = next(row[9] for row in rows if row[1:3] == wanted)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if f"socket:[{inode}]" in open_files(pid):
            return int(pid)
    raise RuntimeError(f"no process holds the server end of port {client_port}")


def worker_pids(port: int) -> set[int]:
    """The worker processes of the server listening on 127.0.0.1:``port``: those holding its listening socket
    whose parent holds it too (gunicorn's master)."""
    rows = [row.split() for row in pathlib.Path("/proc/net/tcp").read_text().splitlines()[1:]]
    inode = next(row[9] for row in rows if row[1] == f"0100007F:{port:04X}" and row[3] == "0A")
    holders = {int(pid) for pid in filter(str.isdigit, os.listdir("/proc")) if f"socket:[{inode}]" in open_files(pid)}
    return {pid for pid in holders if _parent(pid) in holders}


def _parent(pid: int) -> int:
    return int(pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def open_files(pid: str) -> set[str]:
    """What the process's file descriptors name (those closed while they are read left out)."""
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return set()
    names = set()
    for fd in descriptors:
        with contextlib.suppress(OSError):
            names.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return names


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (``/proc/<pid>/stat``)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post_fresh(url: str, body: Any, headers: dict[str, str]) -> tuple[int, Any, int, float]:
    """POST ``body`` (JSON) to ``url`` on a new connection: ``(status, answer JSON, serving pid, answered at
    (time.monotonic()))``."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=15)
    try:
        connection.request("POST", parts.path, json.dumps(body), {**headers, "Content-Type": "application/json"})
        response = connection.getresponse()
        answer, answered_at = json.loads(response.read()), time.monotonic()
        return response.status, answer, server_pid(connection), answered_at
    finally:
        connection.close()
