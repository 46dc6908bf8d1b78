"""flowrun's Python task runner (Code node language "pythonNative" and legacy "python").

Same line-delimited JSON protocol as runners/js/runner.js (docs/task-runners.md). One task at a
time; each task runs in fresh globals. flowrun kills and replaces the process on time limits.
"""

import ast
import builtins
import json
import sys
import textwrap
import traceback

PROTOCOL_VERSION = 1
USER_FILENAME = "<code>"
ITEM_KEYS = {"json", "binary", "pairedItem", "error", "metadata", "index"}

ERROR_STDLIB_DISALLOWED = "Import of standard library module '{module}' is disallowed. Allowed stdlib modules: {allowed}"
ERROR_EXTERNAL_DISALLOWED = "Import of external package '{module}' is disallowed. Allowed external packages: {allowed}"
ERROR_RELATIVE_IMPORT = "Relative imports are disallowed."
ERROR_SECURITY_VIOLATIONS = "Security violations detected:\n{violations}"

_stdout = sys.stdout
_stdin = sys.stdin


def parse_allow(value):
    return {part.strip() for part in (value or "").split(",") if part.strip()}


def _env(name):
    import os
    return os.environ.get(name, "")


STDLIB_ALLOW = parse_allow(_env("FLOWRUN_ALLOW_STDLIB"))
EXTERNAL_ALLOW = parse_allow(_env("FLOWRUN_ALLOW_EXTERNAL"))


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


class ValidationError(Exception):
    def __init__(self, message, description, item_index=None):
        text = f"{message} [item {item_index}]" if item_index is not None else message
        super().__init__(text)
        self.message = text
        self.description = description
        self.item_index = item_index


# ---------- imports ----------

def import_violation(module_path):
    name = module_path.split(".")[0]
    is_stdlib = name in sys.stdlib_module_names
    allow = STDLIB_ALLOW if is_stdlib else EXTERNAL_ALLOW
    if "*" in allow or name in allow:
        return None
    allowed = ", ".join(sorted(allow)) if allow else "none"
    template = ERROR_STDLIB_DISALLOWED if is_stdlib else ERROR_EXTERNAL_DISALLOWED
    return template.format(module=module_path, allowed=allowed)


BLOCKED_ATTRIBUTES = {
    "__subclasses__", "__globals__", "__builtins__", "__traceback__", "tb_frame", "tb_next", "f_back",
    "f_globals", "f_locals", "f_code", "f_builtins", "gi_frame", "gi_code", "cr_frame", "cr_code",
    "ag_frame", "ag_code", "__code__", "__closure__", "__loader__", "__mro__", "__base__", "__bases__",
}
ERROR_DANGEROUS_ATTRIBUTE = "Access to attribute '{attr}' is disallowed, because it can be used to bypass security restrictions."


def check_imports(tree):
    violations = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in BLOCKED_ATTRIBUTES:
            violations.append(f"Line {node.lineno - 1}: {ERROR_DANGEROUS_ATTRIBUTE.format(attr=node.attr)}")
            continue
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level and node.level > 0:
                violations.append(f"Line {node.lineno - 1}: {ERROR_RELATIVE_IMPORT}")
                continue
            modules = [node.module or ""]
        for module in modules:
            problem = import_violation(module)
            if problem:
                violations.append(f"Line {node.lineno - 1}: {problem}")
    if violations:
        raise RuntimeError(ERROR_SECURITY_VIOLATIONS.format(violations="\n".join(f"- {v}" for v in violations)))


_real_import = builtins.__import__


def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and globals is not None and globals.get("__flowrun_user__"):
        problem = import_violation(name)
        if problem:
            raise ImportError(problem)
    return _real_import(name, globals, locals, fromlist, level)


# ---------- globals ----------

class JsObject(dict):
    """A dict that also allows attribute access (`item.json.name`), like the JsProxy objects of
    n8n's older Pyodide-based Python Code node."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value

    def __delattr__(self, key):
        try:
            del self[key]
        except KeyError:
            raise AttributeError(key) from None


def wrap(value):
    if isinstance(value, dict):
        return JsObject({key: wrap(item) for key, item in value.items()})
    if isinstance(value, list):
        return [wrap(item) for item in value]
    return value


def luxon_iso(moment):
    text = moment.isoformat(timespec="milliseconds")
    return text[:-6] + "Z" if text.endswith("+00:00") and moment.tzname() == "UTC" else text


def now_in_zone(task):
    import datetime
    try:
        from zoneinfo import ZoneInfo
        zone = ZoneInfo(task.get("timezone") or "America/New_York")
    except Exception:
        zone = datetime.timezone.utc
    millis = task.get("now")
    if isinstance(millis, (int, float)):
        return datetime.datetime.fromtimestamp(millis / 1000, tz=zone)
    return datetime.datetime.now(tz=zone)


def jmespath_search(data, expression):
    if not isinstance(expression, str) or not isinstance(data, (dict, list)):
        raise RuntimeError("expected two arguments (Object, string) for this function")
    try:
        import jmespath
    except ImportError:
        raise RuntimeError("_jmespath is not available: install the python3-jmespath package") from None
    return wrap(jmespath.search(expression, data))


class NodeAccessor:
    """`_('Node')`: another node's output (legacy Pyodide-style API)."""

    def __init__(self, task, name):
        self._task = task
        self._name = name
        self._info = call(task["id"], "nodeData", {"node": name, "run": None})
        if not self._info.get("exists"):
            raise RuntimeError("Referenced node doesn't exist")

    def _items(self, branch=None, run=None):
        info = self._info if run is None else call(self._task["id"], "nodeData", {"node": self._name, "run": run})
        if not info.get("executed"):
            raise RuntimeError(f"Node '{self._name}' hasn't been executed")
        outputs = info.get("outputs")
        if outputs is None:
            raise RuntimeError(f'Run {run} of node "{self._name}" not found')
        index = branch if branch is not None else (info.get("branch") or 0)
        if len(outputs) <= index:
            raise RuntimeError(f'Node "{self._name}" has no branch with index {index}.')
        return outputs[index] or []

    def all(self, branch=None, run=None):
        return wrap(self._items(branch, run))

    def first(self, branch=None, run=None):
        items = self._items(branch, run)
        return wrap(items[0]) if items else None

    def last(self, branch=None, run=None):
        items = self._items(branch, run)
        return wrap(items[-1]) if items else None

    def _paired(self, method, index):
        if index is None:
            if method == "itemMatching":
                raise RuntimeError("Missing item index for .itemMatching()")
            index = self._task["_itemIndex"]
        return wrap(call(self._task["id"], "pairedItem", {"node": self._name, "itemIndex": index, "method": method}))

    @property
    def item(self):
        return self._paired("item", None)

    def pairedItem(self, index=None):
        return self._paired("pairedItem", index)

    def itemMatching(self, index=None):
        return self._paired("itemMatching", index)

    @property
    def isExecuted(self):
        return bool(self._info.get("executed"))

    @property
    def params(self):
        return wrap(self._info.get("parameters") or {})

    @property
    def context(self):
        return wrap(self._info.get("context") or {})


class InputAccessor:
    """`_input`: the node's input items (attribute access allowed, as in the Pyodide runner)."""

    def __init__(self, task):
        self._task = task

    def all(self):
        return self._task["_wrapped"]

    def first(self):
        items = self._task["_wrapped"]
        return items[0] if items else None

    def last(self):
        items = self._task["_wrapped"]
        return items[-1] if items else None

    @property
    def item(self):
        items = self._task["_wrapped"]
        index = self._task["_itemIndex"]
        return items[index] if index < len(items) else None

    @property
    def params(self):
        return wrap(self._task.get("prevNodeParameters") or {})


def format_print_args(args):
    out = []
    for arg in args:
        if isinstance(arg, str):
            out.append(f"'{arg}'")
        elif arg is None or isinstance(arg, (int, float, bool)):
            out.append(str(arg))
        else:
            try:
                out.append(json.dumps(arg, default=str, ensure_ascii=False))
            except Exception:
                out.append(f"[Circular {type(arg).__name__}]")
    return out


def make_globals(task, item_index):
    task["_itemIndex"] = item_index
    if "_wrapped" not in task:
        task["_wrapped"] = wrap(task.get("items") or [])
    items = task["_wrapped"]
    current = items[item_index] if item_index < len(items) else None
    now = now_in_zone(task)
    safe_builtins = dict(vars(builtins))
    safe_builtins["__import__"] = guarded_import
    safe_builtins["print"] = lambda *args, **kwargs: send({"type": "log", "task": task["id"], "args": format_print_args(args)})
    workflow = task.get("workflow") or {}
    return {
        "__builtins__": safe_builtins,
        "__name__": "__flowrun_code__",
        "__flowrun_user__": True,
        "_items": items,
        "_item": current,
        "_input": InputAccessor(task),
        "_json": current["json"] if current else None,
        "_": lambda name: NodeAccessor(task, name),
        "_runIndex": task.get("runIndex", 0),
        "_itemIndex": item_index,
        "_workflow": {"id": workflow.get("id"), "name": workflow.get("name"), "active": bool(workflow.get("active"))},
        "_execution": {"id": task.get("executionId"), "mode": "test" if task.get("workflowMode") == "manual" else "production"},
        "_env": task.get("env") if task.get("env") is not None else {},
        "_vars": task.get("vars") or {},
        "_mode": task.get("workflowMode"),
        "_now": luxon_iso(now),
        "_today": luxon_iso(now.replace(hour=0, minute=0, second=0, microsecond=0)),
        "_prevNode": wrap(task.get("prevNode") or {}),
        "_jmespath": jmespath_search,
        "_node": JsObject({"name": (task.get("node") or {}).get("name")}),
    }


# ---------- validation (n8n's rules with Python wording) ----------

def is_object(value):
    return isinstance(value, dict)


def normalize_items(data):
    if isinstance(data, dict):
        data = [data] if data.get("json") else [{"json": data}]
    if all(isinstance(i, dict) and "json" in i for i in data):
        return data
    if any(isinstance(i, dict) and "json" in i for i in data):
        raise RuntimeError("Inconsistent item format")
    if all(isinstance(i, dict) and "binary" in i for i in data):
        return [{"json": {k: v for k, v in i.items() if k != "binary"}, "binary": i["binary"]} for i in data]
    if any(isinstance(i, dict) and "binary" in i for i in data):
        raise RuntimeError("Inconsistent item format")
    return [{"json": i} for i in data]


def validate_top_level_keys(item, index):
    reserved = next((k for k in item if k in ITEM_KEYS), None)
    unknown = [k for k in item if k not in ITEM_KEYS]
    if not unknown:
        return
    if reserved:
        raise ValidationError("Invalid output format", f"An output item contains the reserved key <code>{reserved}</code>. To get around this, please wrap each item in an object, under a key called <code>json</code>. <a href=\"https://docs.n8n.io/data/data-structure/#data-structure\" target=\"_blank\">Example</a>", index)
    raise ValidationError(f"Unknown top-level item key: {unknown[0]}", "Access the properties of an item under `.json`, e.g. `item.json`", index)


def validate_item(item, index):
    if not is_object(item.get("json")):
        raise ValidationError("A 'json' property isn't a dictionary", "In the returned data, every key named 'json' must point to a dictionary.", index)
    if "binary" in item and not is_object(item["binary"]):
        raise ValidationError("A 'binary' property isn't a dictionary", "In the returned data, every key named 'binary' must point to a dictionary.", index)


def validate_all_items(result):
    if result is None:
        return []
    if not isinstance(result, (list, dict)):
        raise ValidationError("Code doesn't return items properly", "Please return an array of dictionaries, one for each item you would like to output.")
    if isinstance(result, list):
        for item in result:
            if not is_object(item):
                raise ValidationError("Code doesn't return items properly", "Please return an array of dictionaries, one for each item you would like to output.")
        if any(k in ITEM_KEYS for item in result for k in item):
            for index, item in enumerate(result):
                validate_top_level_keys(item, index)
    items = normalize_items(result)
    for index, item in enumerate(items):
        validate_item(item, index)
    return items


def validate_each_item(result, index):
    if isinstance(result, list):
        first = f"An array of {type(result[0]).__name__}s was returned." if result else "An empty array was returned."
        raise ValidationError("Code doesn't return a single dictionary", f"{first} If you need to output multiple items, please use the 'Run Once for All Items' mode instead.", index)
    if not isinstance(result, dict):
        raise ValidationError("Code doesn't return a dictionary", f"Please return a dictionary representing the output item. ('{result}' was returned instead.)", index)
    [item] = normalize_items([result])
    validate_item(item, index)
    validate_top_level_keys(item, index)
    return item


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
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


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
        requests = json.loads(_stdin.read() or "[]")
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
