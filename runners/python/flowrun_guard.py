"""Import allow lists and the syntax-tree checks n8n's Python runner applies before running code."""

import ast
import builtins
import sys

ERROR_STDLIB_DISALLOWED = "Import of standard library module '{module}' is disallowed. Allowed stdlib modules: {allowed}"
ERROR_EXTERNAL_DISALLOWED = "Import of external package '{module}' is disallowed. Allowed external packages: {allowed}"
ERROR_RELATIVE_IMPORT = "Relative imports are disallowed."
ERROR_SECURITY_VIOLATIONS = "Security violations detected:\n{violations}"


def parse_allow(value):
    return {part.strip() for part in (value or "").split(",") if part.strip()}


def _env(name):
    import os
    return os.environ.get(name, "")


STDLIB_ALLOW = parse_allow(_env("FLOWRUN_ALLOW_STDLIB"))
EXTERNAL_ALLOW = parse_allow(_env("FLOWRUN_ALLOW_EXTERNAL"))


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


