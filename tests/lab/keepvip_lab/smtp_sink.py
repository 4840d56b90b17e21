"""A real SMTP server (aiosmtpd) that keeps every message it accepts: one
JSON file per message in a spool directory, with the greeting name, the
envelope and the text exactly as received. Run inside a host's namespace:

    python3 -m keepvip_lab.smtp_sink --bind 192.0.2.13 --port 25 --spool DIR
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
import time


class Spool:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.count += 1
        record = {
            "helo": session.host_name,
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": envelope.original_content.decode("utf-8", "replace"),
            "received": time.time(),
        }
        tmp = os.path.join(self.directory, f".{self.count}.tmp")
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.directory, f"{self.count:04d}.json"))
        return "250 OK"


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser()
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", type=int, default=25)
    parser.add_argument("--spool", required=True)
    args = parser.parse_args()
    controller = Controller(Spool(args.spool), hostname=args.bind, port=args.port)
    controller.start()
    # Ready: the lab waits for this file before it starts the daemons.
    open(os.path.join(args.spool, ".ready"), "w").close()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
