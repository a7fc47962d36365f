"""A JSON-protocol client in Python (Tornado): keeps a Beta(2, 2) posterior, resumes losslessly.

Usage: python3 examples/json_client.py [ws://127.0.0.1:8888/v1/stream] [SAMPLES]
"""
import asyncio
import json
import sys

from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect


async def main(url: str, wanted: int) -> None:
    alpha, beta = 2.0, 2.0
    last_seq, stream_id, received = 0, None, 0
    while received < wanted:
        resume = f"?after={last_seq}&stream={stream_id}" if stream_id else ""
        try:
            conn = await websocket_connect(url + resume, ping_interval=10, ping_timeout=30)
        except OSError as error:
            print(f"connect failed ({error}); retrying in 1 s", flush=True)
            await asyncio.sleep(1)
            continue
        while received < wanted:
            text = await conn.read_message()
            if text is None:
                break  # dropped: reconnect and resume after last_seq
            msg = json.loads(text)
            if msg["type"] == "hello":
                if stream_id is None:  # first connection: live from here
                    last_seq = msg["state"]["nextSeq"] - 1
                elif msg["streamId"] != stream_id:  # server restarted: it replays the new run from 1
                    print("server restarted; resuming its new stream from the start", flush=True)
                    last_seq = 0
                stream_id = msg["streamId"]
                print(f"hello: p={msg['state']['p']} interval={msg['state']['intervalMs']} ms", flush=True)
            elif msg["type"] == "samples":
                for i, value in enumerate(msg["values"]):
                    if msg["seq"] + i <= last_seq:
                        continue  # never count a sample twice
                    alpha, beta = alpha + value, beta + 1 - value
                    received += 1
                last_seq = max(last_seq, msg["seq"] + len(msg["values"]) - 1)
            elif msg["type"] == "gap":
                print(f"lost samples {msg['from']}..{msg['to']}", flush=True)
            elif msg["type"] == "error":
                print(f"server error {msg['code']}: {msg['message']}", flush=True)
        conn.close()
    print(f"received {received} samples; posterior mean {alpha / (alpha + beta):.4f}", flush=True)


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:8888/v1/stream"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    IOLoop.current().run_sync(lambda: main(target, count))
