"""Nothing listens on the network while the test pcscd runs with its virtual readers and a
card is served (docs/threat-model.md, "Network exposure")."""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path

import pytest
from vpcd_cards import ScriptedCard, ServeCard

pytestmark = pytest.mark.pcsc

LISTEN = "0A"
VPCD_PORTS = (35963, 35964)
REPO = Path(__file__).resolve().parents[2]


def parse_address(hex_address: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int]:
    """An address of /proc/net/tcp{,6}: the IP in host byte order per 32-bit word, the port."""
    ip_hex, port_hex = hex_address.split(":")
    raw = bytes.fromhex(ip_hex)
    packed = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return ipaddress.ip_address(packed), int(port_hex, 16)


def listeners(net_dir: Path) -> list[tuple[str, int, str]]:
    """(address, port, socket inode) of every TCP socket in LISTEN state in that view."""
    found = []
    for name in ("tcp", "tcp6"):
        path = net_dir / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == LISTEN:
                ip, port = parse_address(fields[1])
                found.append((str(ip), port, fields[9]))
    return found


def is_loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or (mapped is not None and mapped.is_loopback))


def socket_owners() -> dict[str, str]:
    """socket inode -> "command (pid)" for every process whose descriptors we may read."""
    owners: dict[str, str] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            for fd in os.listdir(f"/proc/{pid}/fd"):
                match = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(f"/proc/{pid}/fd/{fd}"))
                if match:
                    owners.setdefault(match.group(1), f"{comm} ({pid})")
        except OSError:
            continue
    return owners


def pcscd_pids() -> list[str]:
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "pcscd":
                pids.append(pid)
        except OSError:
            continue
    return pids


def interfaces(pid: str) -> list[str]:
    lines = Path(f"/proc/{pid}/net/dev").read_text().splitlines()[2:]
    return [line.split(":")[0].strip() for line in lines]


def test_parse_address_reads_both_families() -> None:
    assert parse_address("0100007F:8C7B") == (ipaddress.ip_address("127.0.0.1"), 35963)
    assert parse_address("00000000:0016") == (ipaddress.ip_address("0.0.0.0"), 22)
    six = "00000000000000000000000001000000:8C7C"
    assert parse_address(six) == (ipaddress.ip_address("::1"), 35964)
    assert not is_loopback("0.0.0.0") and not is_loopback("::")
    assert is_loopback("::ffff:127.0.0.1")


def exposed_listeners(net_dir: Path, owners: dict[str, str], ours: set[str]) -> list[str]:
    """Non-loopback listeners held by one of `ours` (pids), by pcscd, or on a vpcd port.
    Other services of the machine (sshd, say) are not this project's to judge; the vpcd
    ports are ours whoever holds them."""
    exposed = []
    for address, port, inode in listeners(net_dir):
        if is_loopback(address):
            continue
        owner = owners.get(inode, "unknown owner")
        pid = owner.rsplit("(", 1)[-1].rstrip(")")
        if port in VPCD_PORTS or pid in ours or owner.startswith("pcscd"):
            exposed.append(f"{address}:{port} ({owner})")
    return exposed


def test_the_check_catches_the_packages_all_interfaces_vpcd(tmp_path: Path) -> None:
    """What Debian's vsmartcard-vpcd entry gave: pcscd listening on 0.0.0.0:35963/35964."""
    header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt" \
             "   uid  timeout inode\n"
    row = "   {n}: {local} 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0" \
          "        0 {inode} 1 0000000000000000 100 0 0 10 0\n"
    (tmp_path / "tcp").write_text(header + "".join([
        row.format(n=0, local="00000000:8C7B", inode="101"),
        row.format(n=1, local="0100007F:1F90", inode="102"),  # 127.0.0.1:8080: loopback
        row.format(n=2, local="00000000:0016", inode="103"),  # sshd: not ours
        row.format(n=3, local="00000000:1F91", inode="104"),  # ours, any port
    ]))
    owners = {"101": "pcscd (7)", "102": "python (9)", "103": "sshd (1)", "104": "python (9)"}
    assert exposed_listeners(tmp_path, owners, {"9"}) == [
        "0.0.0.0:35963 (pcscd (7))", "0.0.0.0:8081 (python (9))"]


def test_nothing_of_ours_listens_on_the_network(serve_card: ServeCard) -> None:
    serve_card(ScriptedCard, slot=0)  # a card on a reader: the bridge is connected too
    ours = {str(os.getpid()), *pcscd_pids()}
    exposed = exposed_listeners(Path("/proc/self/net"), socket_owners(), ours)
    assert exposed == [], f"listening on the network: {exposed}"


def test_pcscd_vpcd_ports_exist_only_in_a_loopback_only_namespace(
    serve_card: ServeCard,
) -> None:
    serve_card(ScriptedCard, slot=1)
    pids = pcscd_pids()
    assert pids, "no pcscd runs"
    seen_vpcd = False
    for pid in pids:
        for address, port, _ in listeners(Path(f"/proc/{pid}/net")):
            if is_loopback(address):
                continue
            # vpcd binds every interface of pcscd's namespace: that namespace must have the
            # loopback interface only, so no other host can reach the port.
            assert interfaces(pid) == ["lo"], (
                f"pcscd {pid} listens on {address}:{port} in a namespace with interfaces "
                f"{interfaces(pid)}"
            )
            seen_vpcd = seen_vpcd or port in VPCD_PORTS
    assert seen_vpcd, "found no pcscd whose vpcd listens (the readers of this test)"


def test_system_pcscd_config_has_no_vpcd_entry(pcscd: None) -> None:
    """The package's all-interfaces entry is gone where the tests installed vsmartcard-vpcd:
    a pcscd started by the system (outside the namespace) would read it."""
    conf_dir = Path("/etc/reader.conf.d")
    for path in conf_dir.iterdir() if conf_dir.is_dir() else []:
        live = [line for line in path.read_text(errors="replace").splitlines()
                if "libifdvpcd" in line and not line.lstrip().startswith("#")]
        assert live == [], f"{path} still loads vpcd for the system's pcscd: {live}"
