"""Refuse network use in every Python process the tests start (and in the tests' own).

Loaded by the tests' process through conftest and by child processes through
PYTHONPATH. Each attempt is written to the file named by INFUSE_TEST_SOCKET_LOG
and then refused, so a command that swallowed the error is still caught.
Local (AF_UNIX) sockets are allowed: they never leave the machine.
"""

from __future__ import annotations

import os
import sys

_NETWORK_EVENTS = {
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
}
_AF_UNIX = 1


def _is_network(event: str, args: tuple[object, ...]) -> bool:
    if event == "socket.__new__":
        return len(args) > 1 and args[1] not in (_AF_UNIX, -1)
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        sock = args[0]
        return getattr(sock, "family", None) != _AF_UNIX
    return event in _NETWORK_EVENTS


def _guard(event: str, args: tuple[object, ...]) -> None:
    if not event.startswith("socket.") or not _is_network(event, args):
        return
    log = os.environ.get("INFUSE_TEST_SOCKET_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {event} {sys.argv[:3]!r}\n")
    raise OSError(f"infuse's tests allow no network use ({event})")


sys.addaudithook(_guard)
