"""A TCP relay that holds every byte for a fixed time in each direction: the latency of a long
link, for deploy/cluster.sh (the kernel of the test machines has no netem qdisc).

usage: delay_relay.py DELAY_FILE LISTEN_HOST:PORT=TARGET_HOST:PORT [...]

DELAY_FILE holds the one-way delay in milliseconds (missing or empty: 0); it is read again every
200 ms, so `cluster.sh delay MS` changes the delay of open connections too. Bytes keep their order:
each chunk is due at the time it was read plus the delay, like a pipe of that length, not a
throttle (the bandwidth stays the machine's). A connection is closed on one side when the other
side closes, after the bytes still in the pipe.
"""
import asyncio
import os
import sys
import time

delay_seconds = 0.0


async def watch_delay(path):
    global delay_seconds
    while True:
        try:
            with open(path) as f:
                text = f.read().strip()
            delay_seconds = max(0.0, float(text or 0) / 1000.0)
        except FileNotFoundError:
            delay_seconds = 0.0
        except ValueError:
            pass
        await asyncio.sleep(0.2)


async def pipe(reader, writer):
    line = asyncio.Queue()

    async def read_side():
        while True:
            data = await reader.read(65536)
            line.put_nowait((time.monotonic() + delay_seconds, data))
            if not data:
                return

    async def write_side():
        while True:
            due, data = await line.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()

    try:
        await asyncio.gather(read_side(), write_side())
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


def serve(target_host, target_port):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.wait_for(
                asyncio.open_connection(target_host, target_port), timeout=10)
        except (OSError, asyncio.TimeoutError):
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    return handle


async def main(delay_file, routes):
    asyncio.get_running_loop().create_task(watch_delay(delay_file))
    servers = []
    for route in routes:
        listen, target = route.split("=", 1)
        listen_host, listen_port = listen.rsplit(":", 1)
        target_host, target_port = target.rsplit(":", 1)
        servers.append(await asyncio.start_server(
            serve(target_host, int(target_port)), listen_host, int(listen_port), reuse_address=True))
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
