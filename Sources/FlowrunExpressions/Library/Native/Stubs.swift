enum IntlLibrary {
    static let object = JSValue.object(JSObject(kind: .builtin("Intl")))
}
