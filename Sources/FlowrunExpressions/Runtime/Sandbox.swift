/// n8n's expression sandbox rules (`expression-sandboxing.ts`, `utils.ts` isSafeObjectProperty).
enum Sandbox {
    static let unsafeProperties: Set<String> = [
        "__proto__", "prototype", "constructor", "getPrototypeOf", "mainModule", "binding", "_linkedBinding",
        "_load", "prepareStackTrace", "__lookupGetter__", "__lookupSetter__", "__defineGetter__",
        "__defineSetter__", "caller", "arguments", "getBuiltinModule", "dlopen", "execve", "loadEnvFile",
    ]

    static func isSafeProperty(_ name: String) -> Bool { !unsafeProperties.contains(name) }

    static let dollarSignError = "Cannot access \"$\" without calling it as a function"

    /// Globals n8n replaces with an empty object.
    static let deniedGlobals: Set<String> = [
        "document", "global", "window", "Window", "this", "globalThis", "self", "alert", "prompt", "confirm",
        "eval", "uneval", "setTimeout", "setInterval", "setImmediate", "clearImmediate", "queueMicrotask",
        "Function", "require", "module", "Buffer", "__dirname", "__filename", "fetch", "XMLHttpRequest",
        "Promise", "Generator", "GeneratorFunction", "AsyncFunction", "AsyncGenerator", "AsyncGeneratorFunction",
        "WebAssembly", "Reflect", "Proxy", "escape", "unescape", "SharedArrayBuffer", "Atomics",
    ]

    /// Static members of `Object` n8n's safe wrapper hides (they read as `undefined`).
    static let blockedObjectStatics: Set<String> = [
        "defineProperty", "defineProperties", "setPrototypeOf", "getPrototypeOf", "getOwnPropertyDescriptor",
        "getOwnPropertyDescriptors", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
    ]

    /// Static members of `Error` and its subclasses n8n's safe wrapper hides.
    static let blockedErrorStatics: Set<String> = [
        "captureStackTrace", "prepareStackTrace", "stackTraceLimit", "__defineGetter__", "__defineSetter__",
        "__lookupGetter__", "__lookupSetter__",
    ]
}
