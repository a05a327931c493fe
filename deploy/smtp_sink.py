"""Test SMTP server for orderflow's local stack: accepts every message and saves it as an .eml file.

Recipients whose local part starts with "reject-" get a permanent 550, those starting with
"tempfail-" a transient 451, so tests can drive the notifier's failure paths against a real server.
While the control file TEMPFAIL_FILE (optional fourth argument) exists, every recipient gets 451:
an outage of the mail server that tests can switch on and off by creating and deleting a file.
usage: smtp_sink.py HOST PORT MAILDIR [TEMPFAIL_FILE]
"""
import asyncio
import os
import sys
import time
import uuid

from aiosmtpd.controller import Controller


class SaveToDirectory:
    def __init__(self, directory, tempfail_file=None):
        self.directory = directory
        self.tempfail_file = tempfail_file

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.tempfail_file and os.path.exists(self.tempfail_file):
            return "451 4.3.2 service temporarily unavailable"
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject-"):
            return "550 5.1.1 mailbox unavailable"
        if local.startswith("tempfail-"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
        tmp = os.path.join(self.directory, "." + name)
        with open(tmp, "wb") as f:
            f.write(f"X-Envelope-From: {envelope.mail_from}\r\n".encode())
            f.write(f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.directory, name))
        return "250 2.0.0 queued as " + name


def main():
    host, port, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    tempfail_file = sys.argv[4] if len(sys.argv) > 4 else None
    os.makedirs(directory, exist_ok=True)
    controller = Controller(SaveToDirectory(directory, tempfail_file), hostname=host, port=port)
    controller.start()
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
