"""The globals Python Code sees: n8n's native runner (_items, _item) and the older Pyodide API."""

import builtins
import json

from flowrun_guard import guarded_import
from flowrun_protocol import call, send


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


