"""The keepvip namespace lab: hosts on a bridge of network namespaces, keepalived
and keepvipd on them, systemd user managers, probes, faults and traffic tools.
The integration tests, the corpus test, the benchmarks and the demo import it
as a package (`from keepvip_lab import Lab`), with tests/lab on PYTHONPATH;
see tests/lab/README.md.

Modules run as programs (`python3 -m keepvip_lab.<module>`) are not imported
here: user_manager (a command in a user manager of its own), and the traffic
tools vrrp_flood, advert_sender and icmp_reply_flood (Lab.tool_command).
"""

from .claims import send_garp, send_unsolicited_na, send_vrrp_advert
from .environment import (MARGIN, REPO_ROOT, STARTUP, check_environment, find_keepvipctl,
                          find_keepvipd)
from .lab import ADVERT_SENDER, FLOODER, ICMP_REPLY_FLOOD, IFNAME, UPLINK, Daemon, Host, Lab
from .netns import PREFIX, Netns, sweep_stale_namespaces
from .skip import (SKIP_EXIT_CODE, LabInterrupted, LabUnavailable, kernel_feature_missing, run_main,
                   skip_exit)
from .systemd_user import USER_RUNTIME, UserManager
from .units import KEEPALIVED_UNIT, KEEPVIPD_UNIT, Services
from .vrrpconf import Instance, render_config, vip_address

__all__ = [
    "ADVERT_SENDER", "Daemon", "FLOODER", "Host", "ICMP_REPLY_FLOOD", "IFNAME", "Instance",
    "KEEPALIVED_UNIT", "KEEPVIPD_UNIT", "Lab", "LabInterrupted", "LabUnavailable", "MARGIN",
    "Netns", "PREFIX", "REPO_ROOT", "SKIP_EXIT_CODE", "STARTUP", "Services", "UPLINK",
    "USER_RUNTIME", "UserManager", "check_environment", "find_keepvipctl", "find_keepvipd",
    "kernel_feature_missing", "render_config", "run_main", "send_garp", "send_unsolicited_na", "send_vrrp_advert",
    "skip_exit", "sweep_stale_namespaces", "vip_address",
]
