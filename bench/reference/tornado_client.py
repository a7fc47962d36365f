"""The reference client, as in the blog post: connects with Tornado, pings every 10 s,
gives up after 30 s without a pong, and does int(message) on every frame.

Usage: /usr/bin/python3 bench/reference/tornado_client.py [URL] [COUNT]
Prints one line per sample, then "received COUNT samples, mean M" and exits 0.
"""
import sys

from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect


async def main(url: str, count: int) -> None:
    conn = await websocket_connect(url, ping_interval=10, ping_timeout=30)
    total = 0
    for i in range(count):
        message = await conn.read_message()
        if message is None:
            raise SystemExit(f"connection closed after {i} samples")
        sample = int(message)
        assert sample in (0, 1), message
        total += sample
        print(sample, flush=True)
    conn.close()
    print(f"received {count} samples, mean {total / count}", flush=True)


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "ws://localhost:8888/websocket/"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    IOLoop.current().run_sync(lambda: main(target, n))
