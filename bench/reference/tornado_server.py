"""The reference server, rebuilt after the blog post, for `npm run bench`.

A PeriodicCallback draws int(random.uniform(0, 1) <= p) with p = 0.72, prints one line per
broadcast ("Sending message ... to N client(s).") and writes str(sample) to every handler in a
class-level set. One endpoint, /websocket/, with websocket_ping_interval=10 and
websocket_ping_timeout=30, as in the original.

Usage: /usr/bin/python3 bench/reference/tornado_server.py [PORT] [PERIOD_MS] [--saturate]
  PORT       default 8888 (bound to 127.0.0.1 only)
  PERIOD_MS  default 100; 0 (or --saturate) broadcasts back to back as fast as possible:
             broadcast, yield to the IOLoop once (await asyncio.sleep(0)), repeat.

Differences from the original, all for the harness and none on the broadcast path besides
the two marked (*): binds 127.0.0.1; exits quietly on SIGINT/SIGTERM and when its parent
process goes away; (*) iterates over a snapshot of the set and (*) skips a handler whose
connection has already closed (WebSocketClosedError) instead of aborting the whole broadcast.
"""
import asyncio
import os
import random
import signal
import sys

from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.web import Application
from tornado.websocket import WebSocketClosedError, WebSocketHandler

P = 0.72


class SampleSocket(WebSocketHandler):
    clients = set()

    def check_origin(self, origin):
        return True

    def open(self):
        SampleSocket.clients.add(self)

    def on_message(self, message):
        pass

    def on_close(self):
        SampleSocket.clients.discard(self)


def broadcast():
    sample = int(random.uniform(0, 1) <= P)
    print("Sending message {} to {} client(s).".format(sample, len(SampleSocket.clients)))
    message = str(sample)
    for client in tuple(SampleSocket.clients):
        try:
            client.write_message(message)
        except WebSocketClosedError:
            pass


async def saturate():
    while True:
        broadcast()
        await asyncio.sleep(0)


def main(argv):
    flags = [a for a in argv if a.startswith("--")]
    args = [a for a in argv if not a.startswith("--")]
    port = int(args[0]) if len(args) > 0 else 8888
    period_ms = float(args[1]) if len(args) > 1 else 100.0
    saturation = "--saturate" in flags or period_ms <= 0

    def quit_now(*_):
        os._exit(0)

    signal.signal(signal.SIGINT, quit_now)
    signal.signal(signal.SIGTERM, quit_now)

    app = Application(
        [(r"/websocket/", SampleSocket)],
        websocket_ping_interval=10,
        websocket_ping_timeout=30,
    )
    app.listen(port, address="127.0.0.1")

    parent = os.getppid()

    def orphan_check():
        if os.getppid() != parent:
            os._exit(0)

    PeriodicCallback(orphan_check, 1000).start()
    if saturation:
        IOLoop.current().spawn_callback(saturate)
    else:
        PeriodicCallback(broadcast, period_ms).start()
    sys.stderr.write("listening on 127.0.0.1:{} ({})\n".format(port, "saturation" if saturation else "every {} ms".format(period_ms)))
    sys.stderr.flush()
    IOLoop.current().start()


if __name__ == "__main__":
    main(sys.argv[1:])
