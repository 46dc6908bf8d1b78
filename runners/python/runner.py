"""flowrun's Python task runner (Code node language "pythonNative" and legacy "python").

Same line-delimited JSON protocol as runners/js/runner.js (docs/task-runners.md). One task at a
time; each task runs in fresh globals. flowrun kills and replaces the process on time limits.
"""

import ast
import json
import sys
import textwrap
import traceback

import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flowrun_globals import make_globals  # noqa: E402
from flowrun_guard import check_imports  # noqa: E402
from flowrun_protocol import read_message, send  # noqa: E402
from flowrun_results import ValidationError, validate_all_items, validate_each_item  # noqa: E402

PROTOCOL_VERSION = 2
USER_FILENAME = "<code>"


# ---------- running ----------

def compile_user_code(code):
    wrapped = "def _user_function():\n" + textwrap.indent(code, "    ") + "\n    pass\n"
    tree = ast.parse(wrapped, filename=USER_FILENAME)
    check_imports(tree)
    return compile(tree, USER_FILENAME, "exec")


def user_line(error):
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename == USER_FILENAME:
            return frame.lineno - 1
    return None


def describe(error):
    message = str(error) or type(error).__name__
    if isinstance(error, (RuntimeError,)) and str(error).startswith("Security violations"):
        return message, None
    line = user_line(error)
    return message, line


def run_once(code_object, task, index):
    scope = make_globals(task, index)
    exec(code_object, scope)
    return scope["_user_function"]()


def to_plain(value):
    # JSON semantics as in JavaScript: NaN and Infinity become null.
    return json.loads(json.dumps(value, default=str, ensure_ascii=False), parse_constant=lambda _: None)


def run_task(task):
    code_object = compile_user_code(task.get("code") or "")
    items = task.get("items") or []
    if task.get("mode") == "runOnceForEachItem":
        output = []
        for index in range(len(items)):
            try:
                result = run_once(code_object, task, index)
                if result is None:
                    continue
                if isinstance(result, dict):
                    result["pairedItem"] = {"item": index}
                output.append(result)
            except Exception as error:
                if not task.get("continueOnFail"):
                    raise
                output.append({"json": {"error": str(error)}, "pairedItem": {"item": index}})
        plain = to_plain(output)
        validated = []
        for index, result in enumerate(plain):
            paired = result.pop("pairedItem", {"item": index}) if isinstance(result, dict) else {"item": index}
            try:
                item = validate_each_item(result, index)
            except ValidationError as error:
                if not task.get("continueOnFail"):
                    raise
                item = {"json": {"error": error.message}}
            item["pairedItem"] = paired
            validated.append(item)
        return validated
    try:
        result = run_once(code_object, task, 0)
    except Exception as error:
        if not task.get("continueOnFail"):
            raise
        result = [{"json": {"error": str(error)}}]
    try:
        return validate_all_items(to_plain(result))
    except ValidationError as error:
        if not task.get("continueOnFail"):
            raise
        return [{"json": {"error": error.message}}]


def error_object(error):
    if isinstance(error, ValidationError):
        out = {"name": "ValidationError", "message": error.message, "description": error.description}
        if error.item_index is not None:
            out["itemIndex"] = error.item_index
        return out
    if isinstance(error, SyntaxError):
        line = (error.lineno - 1) if error.lineno else None
        return {"name": "SyntaxError", "message": f"{error.msg} (line {line})" if line else error.msg, "lineNumber": line}
    message, line = describe(error)
    out = {"name": type(error).__name__, "message": message, "description": type(error).__name__,
           "stack": "".join(traceback.format_exception(error))}
    if line is not None:
        out["lineNumber"] = line
    return out


def check_syntax(code):
    try:
        ast.parse("def _user_function():\n" + textwrap.indent(code, "    ") + "\n    pass\n", filename=USER_FILENAME)
        return {"ok": True}
    except SyntaxError as error:
        line = (error.lineno - 1) if error.lineno else None
        column = (error.offset - 4) if error.offset and error.offset > 4 else error.offset
        return {"ok": False, "message": f"SyntaxError: {error.msg}", "line": line, "column": column}


def apply_memory_limit(argv):
    if "--memory-mb" in argv:
        try:
            import resource
            megabytes = int(argv[argv.index("--memory-mb") + 1])
            limit = megabytes * 1024 * 1024 + 256 * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, IndexError, OSError, ImportError):
            pass


def start_watchdog():
    """Ends this process when flowrun (its parent) goes away, even during an endless loop."""
    import os
    import signal
    import threading
    import time

    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()


def main():
    if "--check" in sys.argv:
        # One-shot batch check for `flowrun validate`: stdin holds [{id, code}].
        requests = json.loads(sys.stdin.read() or "[]")
        send([{"id": r.get("id"), **check_syntax(r.get("code") or "")} for r in requests])
        return
    apply_memory_limit(sys.argv)
    start_watchdog()
    sys.stdout = sys.stderr  # stray prints must never corrupt the protocol
    send({"type": "ready", "language": "python", "protocol": PROTOCOL_VERSION, "runtime": sys.version.split()[0]})
    while True:
        message = read_message()
        kind = message.get("type")
        if kind == "shutdown":
            return
        if kind == "check":
            send({"type": "checked", "id": message.get("id"), **check_syntax(message.get("code") or "")})
            continue
        if kind != "task":
            continue
        try:
            items = run_task(message)
            send({"type": "done", "task": message.get("id"), "ok": True, "items": items})
        except MemoryError:
            sys.stderr.write("MemoryError: the task exceeded the runner's memory limit\n")
            sys.stderr.flush()
            sys.exit(70)
        except Exception as error:
            send({"type": "done", "task": message.get("id"), "ok": False, "error": error_object(error)})


if __name__ == "__main__":
    main()
