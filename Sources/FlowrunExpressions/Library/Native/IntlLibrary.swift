/// `Intl`: `Intl.NumberFormat(locale, options).format(n)` over the extension library's number
/// formatting (the same as `n.toLocaleString(locale, options)`).
enum IntlLibrary {
    static let object: JSValue = {
        let numberFormat = Globals.fn("NumberFormat") { args, interp in try makeNumberFormat(args, interp) }
        numberFormat.construct = { args, interp in try makeNumberFormat(args, interp) }
        return .object(JSObject(["NumberFormat": .function(numberFormat)], kind: .builtin("Intl")))
    }()

    static func makeNumberFormat(_ args: [JSValue], _ interp: Interpreter) throws -> JSValue {
        let settings = Array(args.prefix(2))
        let formatter = JSObject()
        formatter.set("format", .function(JSFunction(name: "format") { _, values, interp in
            let n = Globals.arg(values, 0).toNumber(zone: interp.zone)
            return try NumberMethods.call(n, "toLocaleString", settings, interp) ?? .undefined
        }))
        return .object(formatter)
    }
}
