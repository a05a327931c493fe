"""Test SMTP server for orderflow's local stack: accepts every message and saves it as an .eml file.

Recipients whose local part starts with "reject-" get a permanent 550, those starting with
"tempfail-" a transient 451, so tests can drive the notifier's failure paths against a real server.
While the control file TEMPFAIL_FILE (optional fourth argument) exists, every recipient gets 451:
an outage of the mail server that tests can switch on and off by creating and deleting a file.
With --tls-cert/--tls-key the server speaks TLS: from the first byte with --implicit-tls (smtps),
otherwise it offers STARTTLS and refuses mail without it. With --auth USER:PASSWORD it refuses
mail without that login (AUTH PLAIN/LOGIN, over TLS only). Each saved file starts with
X-Envelope-From/-To, X-Envelope-TLS (yes/no) and X-Envelope-Auth (the login, or -).
usage: smtp_sink.py HOST PORT MAILDIR [TEMPFAIL_FILE] [--tls-cert F --tls-key F [--implicit-tls]] [--auth USER:PASSWORD]
"""
import argparse
import asyncio
import os
import ssl
import time
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


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
            # session.ssl is set by STARTTLS; with implicit TLS the transport itself is encrypted.
            encrypted = session.ssl or server.transport.get_extra_info("ssl_object")
            f.write(f"X-Envelope-TLS: {'yes' if encrypted else 'no'}\r\n".encode())
            f.write(f"X-Envelope-Auth: {session.auth_data or '-'}\r\n".encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.directory, name))
        return "250 2.0.0 queued as " + name


class OneLogin:
    """Accepts exactly one user name and password; the session remembers the user name."""

    def __init__(self, user, password):
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (self.user, self.password)
        if not ok:
            return AuthResult(success=False, handled=False)  # aiosmtpd answers 535
        return AuthResult(success=True, auth_data=auth_data.login.decode())


def main():
    parser = argparse.ArgumentParser(description="orderflow's test SMTP server")
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("directory")
    parser.add_argument("tempfail_file", nargs="?")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    parser.add_argument("--no-smtputf8", action="store_true", help="do not offer SMTPUTF8 (RFC 6531)")
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    handler = SaveToDirectory(args.directory, args.tempfail_file)
    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.implicit_tls:
            options["ssl_context"] = context
        else:
            options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, _, password = args.auth.partition(":")
        # Logins only over TLS; aiosmtpd only knows of TLS it negotiated itself (STARTTLS).
        options.update(authenticator=OneLogin(user, password), auth_required=True, auth_require_tls=not args.implicit_tls)
    # aiosmtpd's Controller offers SMTPUTF8 unless told otherwise.
    options["enable_SMTPUTF8"] = not args.no_smtputf8
    controller = Controller(handler, hostname=args.host, port=args.port, **options)
    controller.start()
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
