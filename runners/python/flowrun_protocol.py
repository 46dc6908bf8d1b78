"""Line-delimited JSON on stdin/stdout for the Python runner (docs/task-runners.md)."""

import json
import sys

_stdout = sys.stdout
_stdin = sys.stdin


def send(message):
    _stdout.write(json.dumps(message, ensure_ascii=False, default=str, allow_nan=False) + "\n")
    _stdout.flush()


def read_message():
    while True:
        line = _stdin.readline()
        if line == "":
            sys.exit(0)
        if line.strip():
            return json.loads(line)


_next_call = [1]


def call(task_id, method, params):
    call_id = _next_call[0]
    _next_call[0] += 1
    send({"type": "call", "id": call_id, "task": task_id, "method": method, "params": params})
    while True:
        message = read_message()
        if message.get("type") == "reply" and message.get("id") == call_id:
            if message.get("ok"):
                return message.get("result")
            raise RuntimeError((message.get("error") or {}).get("message", "Call failed"))
        if message.get("type") == "shutdown":
            sys.exit(0)


