/// `Array` and `Array.prototype`.
enum ArrayMethods {
    static let names: Set<String> = [
        "at", "concat", "entries", "every", "fill", "filter", "find", "findIndex", "findLast", "findLastIndex", "flat",
        "flatMap", "forEach", "includes", "indexOf", "join", "keys", "lastIndexOf", "map", "pop", "push", "reduce",
        "reduceRight", "reverse", "shift", "slice", "some", "sort", "splice", "toReversed", "toSorted", "toSpliced",
        "unshift", "values", "with", "toString", "toLocaleString", "copyWithin",
    ]

    static func arg(_ args: [JSValue], _ i: Int) -> JSValue { i < args.count ? args[i] : .undefined }

    static let constructor: JSFunction = {
        let make: ([JSValue], Interpreter) throws -> JSValue = { args, interp in
            if args.count == 1, case .number(let n) = args[0] {
                guard n >= 0, n == n.rounded(), n < 4_294_967_296 else { throw interp.rangeError("Invalid array length") }
                try interp.allocate(Int(n))
                return .array(JSArray(Array(repeating: .undefined, count: Int(n))))
            }
            return .array(JSArray(args))
        }
        let f = Globals.fn("Array", make)
        f.construct = make
        f.instanceKind = "Array"
        f.properties["isArray"] = .function(Globals.fn("isArray") { args, _ in
            if case .array = arg(args, 0) { return .bool(true) }
            return .bool(false)
        })
        f.properties["of"] = .function(Globals.fn("of") { args, _ in .array(JSArray(args)) })
        f.properties["from"] = .function(Globals.fn("from") { args, interp in
            let source = arg(args, 0)
            var items: [JSValue]
            switch source {
            case .array, .string: items = try Iteration.values(of: source, interp)
            case .object(let o):
                if case .collection = o.kind {
                    items = try Iteration.values(of: source, interp)
                } else {
                    let length = (o.get("length") ?? .undefined).toNumber()
                    let n = length.isNaN ? 0 : Int(Swift.max(0, Swift.min(length, 10_000_000)))
                    try interp.allocate(n)
                    items = (0..<n).map { o.get(String($0)) ?? .undefined }
                }
            case .undefined, .null: throw interp.typeError("\(source.toJSString()) is not iterable")
            default: items = []
            }
            if case .function(let map) = arg(args, 1) {
                items = try items.enumerated().map { try map.call(.undefined, [$0.element, .number(Double($0.offset))], interp) }
            }
            return .array(JSArray(items))
        })
        return f
    }()

    static func callback(_ value: JSValue, _ interp: Interpreter) throws -> JSFunction {
        guard case .function(let f) = value else { throw interp.typeError("\(value.toJSString()) is not a function") }
        return f
    }

    /// A relative index (`slice(-1)`) clamped to `0...count`.
    static func relative(_ value: JSValue, _ count: Int, default d: Int) -> Int {
        if value.isUndefined { return d }
        let n = value.toNumber().integerOrInfinity
        if n < 0 { return Swift.max(0, count + Int(Swift.max(n, -Double(count)))) }
        return Int(Swift.min(n, Double(count)))
    }

    static func call(_ a: JSArray, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        let this = JSValue.array(a)
        switch name {
        case "push":
            try interp.allocate(args.count)
            var elements = a.elements
            elements.append(contentsOf: args)
            a.elements = elements
            return .number(Double(elements.count))
        case "pop":
            var elements = a.elements
            let last = elements.popLast() ?? .undefined
            a.elements = elements
            return last
        case "shift":
            var elements = a.elements
            guard !elements.isEmpty else { return .undefined }
            let first = elements.removeFirst()
            a.elements = elements
            return first
        case "unshift":
            try interp.allocate(args.count)
            a.elements = args + a.elements
            return .number(Double(a.count))
        case "length":
            return nil
        case "at":
            var i = Int(arg(args, 0).toNumber().integerOrInfinity.clamped)
            if i < 0 { i += a.count }
            return a.get(i) ?? .undefined
        case "join", "toString", "toLocaleString":
            let separator = name == "join" && !arg(args, 0).isUndefined ? arg(args, 0).toJSString(zone: interp.zone) : ","
            let text = JSValue.join(a, separator: separator, zone: interp.zone, depth: 0)
            try interp.allocate(text.utf8.count)
            return .string(text)
        case "slice":
            let count = a.count
            let start = relative(arg(args, 0), count, default: 0)
            let end = relative(arg(args, 1), count, default: count)
            guard start < end else { return .array(JSArray()) }
            return .array(JSArray((start..<end).map { a.get($0) ?? .undefined }))
        case "concat":
            var out = a.elements
            for value in args {
                if case .array(let other) = value { out.append(contentsOf: other.elements) } else { out.append(value) }
            }
            try interp.allocate(out.count)
            return .array(JSArray(out))
        case "includes":
            let needle = arg(args, 0)
            let from = relative(arg(args, 1), a.count, default: 0)
            return .bool((from..<Swift.max(from, a.count)).contains { (a.get($0) ?? .undefined).sameValueZero(needle) })
        case "indexOf":
            let needle = arg(args, 0)
            let from = relative(arg(args, 1), a.count, default: 0)
            return .number(Double((from..<Swift.max(from, a.count)).first { (a.get($0) ?? .undefined).strictEquals(needle) } ?? -1))
        case "lastIndexOf":
            let needle = arg(args, 0)
            let from = args.count > 1 ? Swift.min(relative(arg(args, 1), a.count, default: a.count - 1), a.count - 1) : a.count - 1
            guard from >= 0 else { return .number(-1) }
            return .number(Double(stride(from: from, through: 0, by: -1).first { (a.get($0) ?? .undefined).strictEquals(needle) } ?? -1))
        case "reverse":
            a.elements = a.elements.reversed()
            return this
        case "toReversed":
            return .array(JSArray(a.elements.reversed()))
        case "keys":
            return .array(JSArray((0..<a.count).map { .number(Double($0)) }))
        case "values":
            return .array(JSArray(a.elements))
        case "entries":
            return .array(JSArray(a.elements.enumerated().map { .array(JSArray([.number(Double($0.offset)), $0.element])) }))
        case "fill":
            var elements = a.elements
            let start = relative(arg(args, 1), elements.count, default: 0)
            let end = relative(arg(args, 2), elements.count, default: elements.count)
            if start < end { for i in start..<end { elements[i] = arg(args, 0) } }
            a.elements = elements
            return this
        case "with":
            var elements = a.elements
            var i = Int(arg(args, 0).toNumber().integerOrInfinity.clamped)
            if i < 0 { i += elements.count }
            guard i >= 0, i < elements.count else { throw interp.rangeError("Invalid index : \(arg(args, 0).toJSString())") }
            elements[i] = arg(args, 1)
            return .array(JSArray(elements))
        case "splice", "toSpliced":
            var elements = a.elements
            let start = relative(arg(args, 0), elements.count, default: 0)
            let deleteCount: Int
            if args.isEmpty {
                deleteCount = 0
            } else if args.count == 1 {
                deleteCount = elements.count - start
            } else {
                deleteCount = Int(Swift.max(0, Swift.min(arg(args, 1).toNumber().integerOrInfinity, Double(elements.count - start))))
            }
            let removed = Array(elements[start..<(start + deleteCount)])
            elements.replaceSubrange(start..<(start + deleteCount), with: args.dropFirst(2))
            try interp.allocate(args.count)
            if name == "toSpliced" { return .array(JSArray(elements)) }
            a.elements = elements
            return .array(JSArray(removed))
        case "flat":
            let depth = arg(args, 0).isUndefined ? 1 : arg(args, 0).toNumber().integerOrInfinity
            return .array(JSArray(try flatten(a.elements, depth: depth, interp)))
        case "sort", "toSorted":
            let comparator = arg(args, 0)
            if !comparator.isUndefined, case .function = comparator {} else if !comparator.isUndefined {
                throw interp.typeError("The comparison function must be either a function or undefined")
            }
            let sorted = try sort(a.elements, comparator, interp)
            if name == "toSorted" { return .array(JSArray(sorted)) }
            a.elements = sorted
            return this
        default:
            return try callIterating(a, name, args, interp)
        }
    }

    /// The methods that take a callback.
    static func callIterating(_ a: JSArray, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        let this = JSValue.array(a)
        switch name {
        case "map", "filter", "forEach", "some", "every", "find", "findIndex", "findLast", "findLastIndex", "flatMap":
            let f = try callback(arg(args, 0), interp)
            let thisArg = arg(args, 1)
            let elements = a.elements
            var indices = Array(elements.indices)
            if name == "findLast" || name == "findLastIndex" { indices.reverse() }
            var mapped: [JSValue] = []
            if name == "map" || name == "flatMap" { mapped.reserveCapacity(elements.count) }
            for i in indices {
                try interp.tick()
                let element = i < a.count ? (a.get(i) ?? .undefined) : elements[i]
                let result = try f.call(thisArg, [element, .number(Double(i)), this], interp)
                switch name {
                case "map": mapped.append(result)
                case "flatMap":
                    if case .array(let inner) = result { mapped.append(contentsOf: inner.elements) } else { mapped.append(result) }
                case "filter": if result.truthy { mapped.append(element) }
                case "some": if result.truthy { return .bool(true) }
                case "every": if !result.truthy { return .bool(false) }
                case "find", "findLast": if result.truthy { return element }
                case "findIndex", "findLastIndex": if result.truthy { return .number(Double(i)) }
                default: break
                }
            }
            switch name {
            case "map", "filter", "flatMap":
                try interp.allocate(mapped.count)
                return .array(JSArray(mapped))
            case "some": return .bool(false)
            case "every": return .bool(true)
            case "findIndex", "findLastIndex": return .number(-1)
            default: return .undefined
            }
        case "reduce", "reduceRight":
            let f = try callback(arg(args, 0), interp)
            var elements = a.elements.enumerated().map { ($0.offset, $0.element) }
            if name == "reduceRight" { elements.reverse() }
            var accumulator: JSValue
            if args.count > 1 {
                accumulator = args[1]
            } else {
                guard let first = elements.first else { throw interp.typeError("Reduce of empty array with no initial value") }
                accumulator = first.1
                elements.removeFirst()
            }
            for (i, element) in elements {
                try interp.tick()
                accumulator = try f.call(.undefined, [accumulator, element, .number(Double(i)), this], interp)
            }
            return accumulator
        default:
            return nil
        }
    }

    static func flatten(_ elements: [JSValue], depth: Double, _ interp: Interpreter) throws -> [JSValue] {
        var out: [JSValue] = []
        for element in elements {
            if depth >= 1, case .array(let inner) = element {
                out.append(contentsOf: try flatten(inner.elements, depth: depth - 1, interp))
            } else {
                out.append(element)
            }
        }
        try interp.allocate(out.count)
        return out
    }

    /// A stable merge sort; `undefined` sorts last; without a comparator elements compare as strings.
    static func sort(_ elements: [JSValue], _ comparator: JSValue, _ interp: Interpreter) throws -> [JSValue] {
        let defined = elements.filter { !$0.isUndefined }
        let undefinedCount = elements.count - defined.count
        let less: (JSValue, JSValue) throws -> Bool
        if case .function(let f) = comparator {
            less = { x, y in
                try interp.tick()
                let r = try f.call(.undefined, [x, y], interp).toNumber()
                return r < 0
            }
        } else {
            let keys = Dictionary(uniqueKeysWithValues: defined.indices.map { ($0, Array(defined[$0].toJSString(zone: interp.zone).utf16)) })
            var indexed = Array(defined.indices)
            indexed = try mergeSort(indexed) { i, j in
                try interp.tick()
                return keys[i]!.lexicographicallyPrecedes(keys[j]!)
            }
            return indexed.map { defined[$0] } + Array(repeating: .undefined, count: undefinedCount)
        }
        return try mergeSort(defined, by: less) + Array(repeating: .undefined, count: undefinedCount)
    }

    static func mergeSort<T>(_ items: [T], by less: (T, T) throws -> Bool) throws -> [T] {
        guard items.count > 1 else { return items }
        let mid = items.count / 2
        let left = try mergeSort(Array(items[..<mid]), by: less)
        let right = try mergeSort(Array(items[mid...]), by: less)
        var out: [T] = []
        out.reserveCapacity(items.count)
        var i = 0
        var j = 0
        while i < left.count && j < right.count {
            // Take from the right only when strictly less: keeps equal elements in order.
            if try less(right[j], left[i]) {
                out.append(right[j])
                j += 1
            } else {
                out.append(left[i])
                i += 1
            }
        }
        out.append(contentsOf: left[i...])
        out.append(contentsOf: right[j...])
        return out
    }
}
