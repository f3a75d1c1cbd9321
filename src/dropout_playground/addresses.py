"""This computer's addresses on its networks: what students in the same room type to reach the playground.

Found without sending anything. A UDP socket's ``connect()`` only asks the kernel which route, and so which
source address, it would use; on Linux the running interfaces' own addresses are read from the kernel too.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import sys
from dataclasses import dataclass

# Documentation addresses (RFC 5737, RFC 3849): routed like any other address, owned by no one.
_ELSEWHERE = {socket.AF_INET: "192.0.2.1", socket.AF_INET6: "2001:db8::1"}
# From Linux's <linux/sockios.h> and <net/if.h>.
_SIOCGIFFLAGS, _SIOCGIFADDR = 0x8913, 0x8915
_IFF_UP, _IFF_RUNNING = 0x1, 0x40


@dataclass(frozen=True)
class NetworkAddress:
    ip: str
    interface: str | None = None  # "wlan0", "eth0" …, where the system says

    def url(self, port: int) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"http://{host}:{port}/"


def network_addresses(family: socket.AddressFamily = socket.AF_INET) -> list[NetworkAddress]:
    """This computer's addresses that others on its networks can reach: first the one its traffic leaves
    from, then those of its other running interfaces. Loopback and link-local addresses are left out."""
    interfaces = _linux_ipv4_interfaces() if family == socket.AF_INET and sys.platform == "linux" else {}
    routed = _routed_address(family)
    ordered = ([routed] if routed else []) + [ip for ip in interfaces if ip != routed]
    return [NetworkAddress(ip, interfaces.get(ip)) for ip in ordered if _reachable_from_elsewhere(ip)]


def _reachable_from_elsewhere(text: str) -> bool:
    ip = ipaddress.ip_address(text.split("%")[0])
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def _routed_address(family: socket.AddressFamily) -> str | None:
    """The source address of this computer's route to other networks; None when it has no such route."""
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect((_ELSEWHERE[family], 9))
        except OSError:
            return None
        return str(probe.getsockname()[0])


def _linux_ipv4_interfaces() -> dict[str, str]:
    """The IPv4 address of each interface that is up with a link (a bridge with nothing on it is not)."""
    import fcntl

    found: dict[str, str] = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            request = struct.pack("40s", name.encode()[:15])
            try:
                (flags,) = struct.unpack_from("H", fcntl.ioctl(sock, _SIOCGIFFLAGS, request), 16)
                if flags & (_IFF_UP | _IFF_RUNNING) != _IFF_UP | _IFF_RUNNING:
                    continue
                address = fcntl.ioctl(sock, _SIOCGIFADDR, request)[20:24]  # sin_addr of the ifreq's sockaddr_in
            except OSError:  # no IPv4 address on this interface
                continue
            found[socket.inet_ntoa(address)] = name
    return found
