#!/usr/bin/env python3
"""Scripts as a real keepvipd runs them, on one host whose instance moves
between MASTER and FAULT with a tracked link:

- a script_user that does not exist: keepvipd refuses the file at start
  (before, its notify scripts ran as root) and on reload (the running
  configuration goes on, scripts still as the old user);
- a reload that changes script_user applies to notify scripts;
- stopping: notify_stop runs after the notify scripts still running have
  ended, and keepvipd waits for it before it exits;
- enable_script_security: a root check script in a directory anyone may
  write is disabled (`keepvipd --check` says which and why), never runs,
  and the instance tracking it still becomes MASTER;
- keepalived's `script "</dev/tcp/127.0.0.1/PORT"` idiom follows a real
  TCP listener: FAULT when it closes, MASTER when it listens again.
"""

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from keepvip_lab import STARTUP, UPLINK, Instance, render_config
from kvtest import VIP4, LabTestCase, main


INTERVAL = 0.5


def non_root_users() -> list[str]:
    """Existing system accounts to run scripts as (not root)."""
    users = []
    for name in ("nobody", "daemon", "bin", "sys"):
        try:
            if pwd.getpwnam(name).pw_uid != 0:
                users.append(name)
        except KeyError:
            pass
    return users


class Scripts(LabTestCase):
    hosts = ("a",)
    uplinks = True

    def setUp(self) -> None:
        # Outside the lab's 0700 work directory, so other users reach it;
        # removed after the lab is closed (cleanups run last-in first-out).
        self.dir = tempfile.mkdtemp(prefix="kvscripts-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        super().setUp()
        os.chmod(self.dir, 0o755)
        self.out = os.path.join(self.dir, "out")
        os.mkdir(self.out)
        os.chmod(self.out, 0o777)
        # `notify` gets INSTANCE <name> <STATE> <priority>.
        # The users scripts run as change: each must be able to append.
        self.notify = self.script("notify.sh",
                                  f'umask 000; echo "$3 $(id -u)" >> {self.out}/notify')

    def script(self, name: str, body: str, directory: str | None = None) -> str:
        path = os.path.join(directory or self.dir, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(path, 0o755)
        return path

    def instance(self, *extra: str) -> Instance:
        return Instance(state="MASTER", priority=150, version=3, advert_int=INTERVAL,
                        vips=(f"{VIP4}/24",), track_interfaces=(UPLINK,),
                        extra_lines=(f'notify "{self.notify}"', *extra))

    def write_config(self, instance: Instance, *global_lines: str) -> str:
        return render_config(instance, router_id="kv-a", global_lines=global_lines)

    def notified(self) -> list[str]:
        try:
            with open(os.path.join(self.out, "notify")) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def wait_for(self, what: str, done, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                self.fail(f"{what} within {timeout:.1f} s; notify log: {self.notified()}")
            time.sleep(0.05)

    def wait_notified(self, line: str, timeout: float = 5.0) -> None:
        self.wait_for(f"notify line '{line}'", lambda: line in self.notified(), timeout)

    def reload(self, text: str, outcome: str) -> None:
        with open(self.lab.host("a").daemon.conf_path, "w") as f:
            f.write(text)
        before = self.lab.log_text("a").count(outcome)
        self.lab.signal("a", signal.SIGHUP)
        self.wait_for(f"'{outcome}' in the log",
                      lambda: self.lab.log_text("a").count(outcome) > before, 5.0)

    def test_a_script_user_that_does_not_exist_is_refused_at_start(self):
        conf = self.write_config(self.instance(), "script_user kv-no-such-user")
        try:
            self.lab.start_keepvip("a", conf)
        except RuntimeError:
            pass  # it may already be gone: that is the point
        self.assertEqual(self.lab.reap("a", timeout=5), 1)
        self.assertIn("user 'kv-no-such-user' does not exist", self.lab.log_text("a"))
        time.sleep(self.instance().master_down_interval() + STARTUP)
        self.assertEqual(self.notified(), [], "a notify script ran")

    def test_reload_applies_script_user_and_a_missing_one_keeps_the_running_config(self):
        users = non_root_users()
        if len(users) < 2:
            self.skipTest("needs two non-root system accounts")
        first, second = (pwd.getpwnam(u).pw_uid for u in users[:2])
        inst = self.instance()
        self.lab.start_keepvip("a", self.write_config(inst, f"script_user {users[0]}"))
        self.wait_master(VIP4, "a", timeout=inst.master_down_interval() + STARTUP + 2)
        self.wait_notified(f"MASTER {first}")

        self.reload(self.write_config(inst, f"script_user {users[1]}"), "reloaded:")
        self.lab.link_down("a", UPLINK)
        self.wait_notified(f"FAULT {second}")
        self.lab.link_up("a", UPLINK)
        self.wait_notified(f"MASTER {second}", timeout=inst.master_down_interval() + 5)

        self.reload(self.write_config(inst, "script_user kv-no-such-user"), "reload failed")
        self.assertIn("user 'kv-no-such-user' does not exist", self.lab.log_text("a"))
        self.assertTrue(self.lab.running("a"))
        self.lab.link_down("a", UPLINK)
        self.wait_for("a second FAULT notify",
                      lambda: self.notified().count(f"FAULT {second}") == 2, 5.0)
        self.assertNotIn("FAULT 0", self.notified())

    def test_stopping_runs_notify_stop_after_the_running_scripts_and_waits_for_it(self):
        slow = self.script("slow.sh", f'umask 000; echo "start $1" >> {self.out}/order; '
                                      f'sleep 1; echo "end $1" >> {self.out}/order')
        inst = self.instance(f'notify_master "{slow} MASTER"', f'notify_stop "{slow} STOP"')
        self.lab.start_keepvip("a", self.write_config(inst, "script_user root"))
        self.wait_master(VIP4, "a", timeout=inst.master_down_interval() + STARTUP + 2)
        order = os.path.join(self.out, "order")
        self.wait_for("the MASTER script", lambda: os.path.exists(order), 5.0)
        self.lab.stop("a", timeout=5.0)
        # Read right at exit: keepvipd waited for notify_stop.
        with open(order) as f:
            self.assertEqual(f.read().splitlines(),
                             ["start MASTER", "end MASTER", "start STOP", "end STOP"])
        self.assertEqual(self.lab.exit_code("a"), 0)

    def test_script_security_disables_a_check_script_a_user_could_change(self):
        open_dir = os.path.join(self.dir, "open")
        os.mkdir(open_dir)
        os.chmod(open_dir, 0o777)
        marker = os.path.join(self.out, "check-ran")
        # Were it run, it would fail and put the instance in FAULT.
        check = self.script("check.sh", f"touch {marker}; exit 1", directory=open_dir)
        inst = self.instance(
            "track_script {",
            "    chk",
            "}",
        )
        text = self.write_config(inst, "script_user root", "enable_script_security")
        text += f'vrrp_script chk {{\n    script "{check}"\n    interval 0.2\n}}\n'
        conf = os.path.join(self.dir, "check.conf")
        with open(conf, "w") as f:
            f.write(text)
        checked = self.lab.keepvip_command("a", "--check", "-f", conf)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertIn(f"vrrp_script chk disabled: unsafe permissions found for script '{check}': "
                      f"{open_dir} is writable by every user", checked.stdout)

        self.lab.start_keepvip("a", text)
        self.wait_master(VIP4, "a", timeout=inst.master_down_interval() + STARTUP + 2)
        self.wait_notified("MASTER 0")
        time.sleep(1)
        self.assertFalse(os.path.exists(marker), "the disabled script ran")
        self.assertNotIn("FAULT", self.keepvip_states("a"))


    def listen(self, port: int) -> subprocess.Popen:
        """A TCP listener on 127.0.0.1:port in a's namespace, until killed."""
        code = ("import socket, time\n"
                "s = socket.socket()\n"
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                f"s.bind(('127.0.0.1', {port}))\n"
                "s.listen(64)\n"
                "print('listening', flush=True)\n"
                "time.sleep(120)\n")
        proc = subprocess.Popen(["ip", "netns", "exec", self.lab.host("a").ns, sys.executable,
                                 "-c", code], stdout=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (proc.kill(), proc.wait(), proc.stdout.close()))
        self.assertEqual(proc.stdout.readline().strip(), "listening")
        return proc

    def test_a_dev_tcp_redirection_follows_a_real_listener(self):
        port = 8080
        listener = self.listen(port)
        inst = self.instance("track_script {", "    chk", "}")
        text = self.write_config(inst)
        text += f'vrrp_script chk {{\n    script "</dev/tcp/127.0.0.1/{port}"\n    interval 0.2\n}}\n'
        conf = os.path.join(self.dir, "dev-tcp.conf")
        with open(conf, "w") as f:
            f.write(text)
        checked = self.lab.keepvip_command("a", "--check", "-f", conf)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertNotIn("disabled", checked.stdout)

        self.lab.start_keepvip("a", text)
        self.wait_master(VIP4, "a", timeout=inst.master_down_interval() + STARTUP + 2)

        listener.kill()
        listener.wait()
        self.lab.wait_for_release(VIP4, "a", timeout=3.0)
        self.assertEqual(self.keepvip_states("a")[-1], "FAULT", self.keepvip_states("a"))

        self.listen(port)
        self.wait_master(VIP4, "a", timeout=inst.master_down_interval() + 3)


if __name__ == "__main__":
    main(need_keepvipd=True)
