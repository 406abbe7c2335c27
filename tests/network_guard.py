"""The suite runs with the network closed except to this machine (issue 14: no network call on the request
path). Every socket connection the test process makes must go to a loopback address (the test servers, the
database) or a Unix socket; anything else raises at once, so a decision, a load or a page that tried to reach
the internet would fail its test instead of passing on a machine that happens to be online."""
from __future__ import annotations

import ipaddress
import socket

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex
_original_getaddrinfo = socket.getaddrinfo


class NetworkBlocked(OSError):
    """A test tried to reach a host that is not this machine."""


def _is_local(address) -> bool:
    if not isinstance(address, tuple):  # a Unix socket path
        return True
    host = address[0]
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a name other than localhost: it would need the network to resolve or reach


def _guarded(original):
    def connect(self, address):
        if not _is_local(address):
            raise NetworkBlocked(f"the test suite allows no network connection except to this machine: {address!r}")
        return original(self, address)
    return connect


def _getaddrinfo(host, *args, **kwargs):
    """A name is resolved only when it names this machine (resolving others would ask a DNS server)."""
    if host is not None and not _is_local((host if isinstance(host, str) else host.decode("ascii", "replace"), 0)):
        raise NetworkBlocked(f"the test suite allows no network look-up except of this machine: {host!r}")
    return _original_getaddrinfo(host, *args, **kwargs)


def close_the_network() -> None:
    socket.socket.connect = _guarded(_original_connect)
    socket.socket.connect_ex = _guarded(_original_connect_ex)
    socket.getaddrinfo = _getaddrinfo


def open_the_network() -> None:
    socket.socket.connect = _original_connect
    socket.socket.connect_ex = _original_connect_ex
    socket.getaddrinfo = _original_getaddrinfo
