#!/usr/bin/env python3
"""Mail alerts, delivered to a real SMTP server (aiosmtpd) on a third host:

- a failover between two keepvipd mails each new state with keepalived's
  subject, body and headers (IPv4 server);
- an IPv6 smtp_server with its own port;
- the same transition mailed by keepalived 2.2.7 and by keepvipd gives the
  same envelope and the same message, Date aside;
- a server that never answers (SYNs dropped): the failover still happens
  within its protocol bound while the delivery hangs (the event loop is not
  blocked), and the give-up is logged in keepalived's words.
"""

import glob
import json
import os
import sys
import time

from keepvip_lab import MARGIN, Instance, render_config
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.5
RECIPIENTS = ("ops@example.org", "noc@example.org")
FROM = "keepvip@example.org"
HELO = "lb.example.org"


def v3(state: str, priority: int) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",))


def mail_lines(server: str, *extra: str) -> tuple[str, ...]:
    return ("notification_email {", *(f"    {r}" for r in RECIPIENTS), "}",
            f"notification_email_from {FROM}", f"smtp_server {server}",
            f"smtp_helo_name {HELO}", "smtp_alert", *extra)


def expected_text(router_id: str, state: str, body: str) -> str:
    """keepalived's message after its Date header (smtp.h SMTP_HEADERS_CMD)."""
    return (f"From: {FROM}\r\nSubject: [{router_id}] VRRP Instance VI_1 - {state}\r\n"
            f"X-Mailer: Keepalived\r\nTo: {', '.join(RECIPIENTS)}\r\n\r\n{body}\r\n\r\n")


MASTER_BODY = "=> VRRP Instance is now owning VRRP VIPs <="
BACKUP_BODY = "=> VRRP Instance is no longer owning VRRP VIPs <="


class Mail(LabTestCase):
    hosts = ("a", "b", "m")

    def mails(self, spool: str) -> list[dict]:
        found = []
        for path in sorted(glob.glob(os.path.join(spool, "*.json"))):
            with open(path) as f:
                found.append(json.load(f))
        return found

    def wait_mail(self, spool: str, subject: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for mail in self.mails(spool):
                if f"\r\nSubject: {subject}\r\n" in mail["data"]:
                    return mail
            if time.monotonic() > deadline:
                got = [m["data"].split("\r\n")[2] for m in self.mails(spool)]
                self.fail(f"no mail '{subject}' within {timeout} s; got {got}")
            time.sleep(0.05)

    def assertKeepalivedMail(self, mail: dict, router_id: str, state: str, body: str) -> None:
        date, _, rest = mail["data"].partition("\r\n")
        self.assertRegex(date, r"^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
        self.assertEqual(rest, expected_text(router_id, state, body))
        self.assertEqual(mail["mail_from"], FROM)
        self.assertEqual(mail["rcpt_tos"], list(RECIPIENTS))
        self.assertEqual(mail["helo"], HELO)

    def test_failover_between_keepvipds_mails_each_new_state(self):
        m = self.lab.host("m")
        spool = self.lab.start_smtp_sink("m", m.addr4)
        master, backup = v3("MASTER", 150), v3("BACKUP", 100)
        self.lab.start_keepvip("a", render_config(master, router_id="kv-a",
                                                  global_lines=mail_lines(m.addr4)))
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.lab.start_keepvip("b", render_config(backup, router_id="kv-b",
                                                  global_lines=mail_lines(m.addr4)))
        self.assertKeepalivedMail(self.wait_mail(spool, "[kv-a] VRRP Instance VI_1 - Entering "
                                                 "MASTER state", 5),
                                  "kv-a", "Entering MASTER state", MASTER_BODY)
        self.assertKeepalivedMail(self.wait_mail(spool, "[kv-b] VRRP Instance VI_1 - Entering "
                                                 "BACKUP state", 5),
                                  "kv-b", "Entering BACKUP state", BACKUP_BODY)

        stopped = self.lab.stop("a")
        self.assertTakeover(VIP4, "b", stopped, backup.master_down_interval(INTERVAL),
                            "b takes over")
        self.assertKeepalivedMail(self.wait_mail(spool, "[kv-b] VRRP Instance VI_1 - Entering "
                                                 "MASTER state", 5),
                                  "kv-b", "Entering MASTER state", MASTER_BODY)
        self.assertIn("SMTP alert successfully sent.", self.lab.log_text("b"))

    def test_ipv6_server_on_its_own_port(self):
        m = self.lab.host("m")
        spool = self.lab.start_smtp_sink("m", m.addr6, port=2525)
        master = v3("MASTER", 150)
        self.lab.start_keepvip("a", render_config(
            master, router_id="kv-a", global_lines=mail_lines(f"{m.addr6} 2525")))
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.assertKeepalivedMail(self.wait_mail(spool, "[kv-a] VRRP Instance VI_1 - Entering "
                                                 "MASTER state", 5),
                                  "kv-a", "Entering MASTER state", MASTER_BODY)

    def test_same_mail_as_keepalived_for_the_same_transition(self):
        m = self.lab.host("m")
        spool = self.lab.start_smtp_sink("m", m.addr4)
        master, backup = v3("MASTER", 150), v3("BACKUP", 100)
        # The same router_id on both, so the subjects can be compared whole.
        self.lab.start_keepalived("a", render_config(master, router_id="LB",
                                                     global_lines=mail_lines(m.addr4)))
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        subject = "[LB] VRRP Instance VI_1 - Entering MASTER state"
        theirs = self.wait_mail(spool, subject, 5)
        self.lab.start_keepvip("b", render_config(backup, router_id="LB",
                                                  global_lines=mail_lines(m.addr4)))
        self.wait_mail(spool, "[LB] VRRP Instance VI_1 - Entering BACKUP state", 5)
        stopped = self.lab.stop("a")
        self.assertTakeover(VIP4, "b", stopped, backup.master_down_interval(INTERVAL),
                            "keepvipd takes over from keepalived")
        deadline = time.monotonic() + 5
        while len([x for x in self.mails(spool) if subject in x["data"]]) < 2:
            self.assertLess(time.monotonic(), deadline, "keepvipd's MASTER mail never came")
            time.sleep(0.05)
        ours = [x for x in self.mails(spool) if subject in x["data"]][1]
        for key in ("mail_from", "rcpt_tos", "helo"):
            self.assertEqual(ours[key], theirs[key], key)
        self.assertEqual(ours["data"].partition("\r\n")[2], theirs["data"].partition("\r\n")[2])
        self.assertKeepalivedMail(ours, "LB", "Entering MASTER state", MASTER_BODY)

    def test_unreachable_server_does_not_hold_up_failover(self):
        m = self.lab.host("m")
        # Connections to the server are never answered: only the timeout ends them.
        self.lab.nft_drop("m", "tcp dport 25")
        timeout = 8
        master, backup = v3("MASTER", 150), v3("BACKUP", 100)
        lines = mail_lines(m.addr4, f"smtp_connect_timeout {timeout}")
        self.lab.start_keepvip("a", render_config(master, router_id="kv-a", global_lines=lines))
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.lab.start_keepvip("b", render_config(backup, router_id="kv-b", global_lines=lines))
        time.sleep(backup.master_down_interval() + MARGIN)
        self.assertHolders(VIP4, {"a"}, window=0.5)
        # b's BACKUP mail is still waiting for the server when a goes.
        stopped = self.lab.stop("a")
        started = time.monotonic()
        self.assertTakeover(VIP4, "b", stopped, backup.master_down_interval(INTERVAL),
                            "b takes over while its mail hangs")
        self.assertLess(time.monotonic() - started, timeout / 2)
        line = f"Timeout opening connection to remote SMTP server [{m.addr4}]:25."
        deadline = time.monotonic() + 2 * timeout + 3
        while self.lab.log_text("b").count(line) < 2:  # the BACKUP and the MASTER mail
            if time.monotonic() > deadline:
                self.fail(f"'{line}' not logged twice by b")
            time.sleep(0.1)
        sys.stderr.write(f"  b logged: {line}\n")


if __name__ == "__main__":
    main()
