"""Writes keepalived.conf-dialect configurations for the lab.

The same text is fed to keepalived and to keepvipd: keepvip reads the
keepalived dialect, so a mixed cluster in the lab is configured exactly as a
user would configure one during a migration.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field


@dataclass
class Instance:
    """One vrrp_instance block. Defaults follow the seed's setup."""

    name: str = "VI_1"
    state: str = "BACKUP"
    interface: str = "eth0"
    vrid: int = 51
    priority: int = 100
    advert_int: float = 1
    version: int | None = None  # None: the global default (VRRPv2 for both daemons)
    vips: tuple[str, ...] = ("192.0.2.100/24",)
    auth_pass: str | None = None  # authentication (VRRPv2 only), with auth_type below
    auth_type: str = "PASS"  # or "AH" (IPsec AH, HMAC-MD5-96)
    nopreempt: bool = False
    preempt_delay: float | None = None
    track_interfaces: tuple[str, ...] = ()
    vip_dev: bool = True  # write "dev <interface>" after each VIP (the seed's configs omit it)
    extra_lines: tuple[str, ...] = field(default_factory=tuple)

    def render(self) -> str:
        lines = [
            f"vrrp_instance {self.name} {{",
            f"    state {self.state}",
            f"    interface {self.interface}",
            f"    virtual_router_id {self.vrid}",
            f"    priority {self.priority}",
            f"    advert_int {_number(self.advert_int)}",
        ]
        if self.version is not None:
            lines.append(f"    version {self.version}")
        if self.nopreempt:
            lines.append("    nopreempt")
        if self.preempt_delay is not None:
            lines.append(f"    preempt_delay {_number(self.preempt_delay)}")
        if self.auth_pass is not None:
            lines += [
                "    authentication {",
                f"        auth_type {self.auth_type}",
                f"        auth_pass {self.auth_pass}",
                "    }",
            ]
        if self.track_interfaces:
            lines.append("    track_interface {")
            lines += [f"        {name}" for name in self.track_interfaces]
            lines.append("    }")
        lines.append("    virtual_ipaddress {")
        suffix = f" dev {self.interface}" if self.vip_dev else ""
        lines += [f"        {vip}{suffix}" for vip in self.vips]
        lines.append("    }")
        lines += [f"    {line}" for line in self.extra_lines]
        lines.append("}")
        return "\n".join(lines) + "\n"

    @property
    def is_v3(self) -> bool:
        return self.version == 3

    def skew_time(self) -> float:
        """Skew_Time in seconds (RFC 3768 for v2, RFC 5798 for v3)."""
        if self.is_v3:
            return (256 - self.priority) * self.advert_int / 256
        return (256 - self.priority) / 256

    def master_down_interval(self, master_interval: float | None = None) -> float:
        """Master_Down_Interval in seconds; v3 backups use the master's interval."""
        interval = self.advert_int if master_interval is None else master_interval
        skew = (256 - self.priority) * interval / 256 if self.is_v3 else self.skew_time()
        return 3 * interval + skew


def render_config(*instances: Instance, router_id: str = "kvlab", global_lines=()) -> str:
    """A complete configuration file with a global_defs block."""
    head = ["! written by the keepvip namespace lab", "global_defs {", f"    router_id {router_id}"]
    head += [f"    {line}" for line in global_lines]
    head.append("}")
    return "\n".join(head) + "\n\n" + "\n".join(i.render() for i in instances)


def vip_address(vip: str) -> str:
    """The bare address of a VIP entry such as '192.0.2.100/24'."""
    return str(ipaddress.ip_interface(vip).ip)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
