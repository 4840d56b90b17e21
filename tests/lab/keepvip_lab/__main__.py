"""`python3 -m keepvip_lab sweep`: delete the namespaces and cgroups left by
lab runs that died (their owning pid is gone)."""

import sys

from .environment import check_environment
from .netns import sweep_stale_namespaces
from .skip import LabUnavailable, skip_exit
from .systemd_user import sweep_stale_cgroups

if sys.argv[1:] != ["sweep"]:
    print("usage: python3 -m keepvip_lab sweep   (delete kvlab-* namespaces and cgroups "
          "whose run is gone)", file=sys.stderr)
    sys.exit(2)
try:
    check_environment(need_keepalived=False)
except LabUnavailable as e:
    skip_exit(str(e))
for name in sweep_stale_namespaces() + sweep_stale_cgroups():
    print(f"deleted {name}")
