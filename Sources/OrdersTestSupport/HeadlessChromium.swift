/// Debian's `chromium`, headless, driven over the Chrome DevTools Protocol by a Python script: the
/// browser tests (email previews, the console) prepend `prelude` to their own steps and run it with
/// `python3 -c SCRIPT /usr/bin/chromium ARGUMENTS...`.
public enum HeadlessChromium {
    public static let binary = "/usr/bin/chromium"

    /// Starts the browser with --remote-debugging-pipe (file descriptors 3 and 4, messages ended by NUL)
    /// and opens one page. Defines `args` (the script's arguments after the browser's path),
    /// `call(method, params, session)` (the reply's result; every event that arrives meanwhile is
    /// appended to `events`), `session` (the page's) and `close_browser()`.
    public static let prelude = #"""
        import base64, json, os, subprocess, sys, tempfile, time
        chromium, args = sys.argv[1], sys.argv[2:]
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        def wire():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)
        profile = tempfile.mkdtemp(prefix="orderflow-chromium-")
        browser = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank"],
            pass_fds=(3, 4), preexec_fn=wire, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r); os.close(from_browser_w)
        writer = os.fdopen(to_browser_w, "wb", buffering=0)
        reader = os.fdopen(from_browser_r, "rb", buffering=0)
        pending = b""
        next_id = 0
        events = []
        def call(method, params=None, session=None):
            global pending, next_id
            next_id += 1
            message = {"id": next_id, "method": method, "params": params or {}}
            if session: message["sessionId"] = session
            writer.write(json.dumps(message).encode() + b"\0")
            while True:
                while b"\0" not in pending:
                    chunk = reader.read(65536)
                    if not chunk: raise SystemExit("chromium closed the pipe during " + method)
                    pending += chunk
                raw, pending = pending.split(b"\0", 1)
                reply = json.loads(raw)
                if "method" in reply: events.append(reply)
                if reply.get("id") == next_id:
                    if "error" in reply: raise SystemExit(method + ": " + json.dumps(reply["error"]))
                    return reply["result"]
        target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        call("Page.enable", session=session)
        def close_browser():
            try: call("Browser.close")
            except SystemExit: pass
            browser.wait(timeout=30)

        """#
}
