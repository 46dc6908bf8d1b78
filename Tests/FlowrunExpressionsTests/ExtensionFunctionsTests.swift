import Testing
@testable import FlowrunExpressions

/// Calls an extension as n8n's `extend()` would, with a receiver that has no native methods.
func callExtension(_ receiver: ExtensionValue, _ name: String, _ args: [ExtensionValue] = [],
                   zone: String = "America/New_York", now: Double = 1_714_564_800_000) throws -> ExtensionValue {
    let context = ExtensionContext(zone: LuxonZone.named(zone), nowMillis: now)
    switch try ExtensionRegistry.extend(receiver, name, args, context: context, hasNative: { _ in false }) {
    case .value(let v): return v
    case .native: return .string("<native>")
    }
}

func extensionJSON(_ v: ExtensionValue) -> String { v.jsonString() ?? "undefined" }

func extensionErrorMessage(_ body: () throws -> ExtensionValue) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as ExtensionError {
        return error.message
    } catch {
        return "\(error)"
    }
}

@Suite("String extensions")
struct StringExtensionTests {
    @Test("Hashes match n8n's digests")
    func hashes() throws {
        let s = ExtensionValue.string("12345")
        #expect(extensionJSON(try callExtension(s, "hash", [.string("md5")])) == "\"827ccb0eea8a706c4c34a16891f84e7b\"")
        #expect(extensionJSON(try callExtension(s, "hash")) == "\"827ccb0eea8a706c4c34a16891f84e7b\"")
        #expect(extensionJSON(try callExtension(s, "hash", [.string("sha1")])) == "\"8cb2237d0679ca88db6464eac60da96345513964\"")
        #expect(extensionJSON(try callExtension(s, "hash", [.string("sha224")])) == "\"a7470858e79c282bc2f6adfd831b132672dfd1224c1e78cbf5bcd057\"")
        #expect(extensionJSON(try callExtension(s, "hash", [.string("sha256")])) == "\"5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5\"")
        #expect(extensionJSON(try callExtension(s, "hash", [.string("sha384")])) == "\"0fa76955abfa9dafd83facca8343a92aa09497f98101086611b0bfa95dbc0dcc661d62e9568a5a032ba81960f3e55d4a\"")
        #expect(extensionJSON(try callExtension(s, "hash", [.string("sha512")])) == "\"3627909a29c31381a071ec27f7c9ca97726182aed29a7ddd2e54353322cfb30abb9e3a6df2ac2c20fe23436311d678564d0c8d305930575f60e2d3d048184d79\"")
        #expect(extensionJSON(try callExtension(s, "hash", [.string("sha3")])) == "\"0a2a1719bf3ce682afdbedf3b23857818d526efbe7fcb372b31347c26239a0f916c398b7ad8dd0ee76e8e388604d0b0f925d5e913ad2d3165b9b35b3844cd5e6\"")
        #expect(extensionErrorMessage { try callExtension(s, "hash", [.string("crc")]) }?.hasPrefix("Unknown algorithm crc") == true)
    }

    @Test("SHA-224 (written out, not from swift-crypto) over empty, one-block and two-block messages")
    func sha224Vectors() throws {
        // FIPS 180-4 example vectors; the 56-byte message pads into a second block.
        let vectors = [
            "": "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f",
            "abc": "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq": "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525",
        ]
        for (message, digest) in vectors {
            #expect(extensionJSON(try callExtension(.string(message), "hash", [.string("sha224")])) == "\"\(digest)\"", "\(message)")
        }
    }

    @Test("Case conversions")
    func cases() throws {
        #expect(extensionJSON(try callExtension(.string("I am a test!"), "toSnakeCase")) == "\"i_am_a_test\"")
        #expect(extensionJSON(try callExtension(.string("i am a test! i have multiple types of Punctuation. or do i?"), "toSentenceCase"))
            == "\"I am a test! I have multiple types of punctuation. Or do i?\"")
        #expect(extensionJSON(try callExtension(.string("quick! brown FOX"), "toSentenceCase")) == "\"Quick! Brown fox\"")
        #expect(extensionJSON(try callExtension(.string("the quick brown fox of the year"), "toTitleCase")) == "\"The Quick Brown Fox of the Year\"")
        #expect(extensionJSON(try callExtension(.string("déjà"), "replaceSpecialChars")) == "\"deja\"")
    }

    @Test("Conversions to numbers, booleans and dates")
    func conversions() throws {
        #expect(extensionJSON(try callExtension(.string("1.23E10"), "toNumber")) == "12300000000")
        #expect(extensionJSON(try callExtension(.string("$1.5"), "toFloat")) == "1.5")
        #expect(extensionJSON(try callExtension(.string("1.5"), "toInt")) == "1")
        #expect(extensionErrorMessage { try callExtension(.string("1,5"), "toFloat") } == "cannot convert to float, expected . as decimal separator")
        #expect(extensionErrorMessage { try callExtension(.string("abc"), "toInt") } == "cannot convert to integer")
        #expect(extensionJSON(try callExtension(.string("False"), "toBoolean")) == "false")
        #expect(extensionJSON(try callExtension(.string("yes"), "toBoolean")) == "true")
        #expect(extensionJSON(try callExtension(.string("2008-11-11"), "toDateTime")) == "\"2008-11-11T00:00:00.000-05:00\"")
        #expect(extensionJSON(try callExtension(.string("Wed, 21 Oct 2015 07:28:00 GMT"), "toDateTime")) == "\"2015-10-21T07:28:00.000Z\"")
        #expect(extensionJSON(try callExtension(.string("31-01-2024"), "toDateTime", [.string("dd-MM-yyyy")])) == "\"2024-01-31T00:00:00.000-05:00\"")
        #expect(extensionErrorMessage { try callExtension(.string("hi"), "toDateTime") } == "cannot convert to Luxon DateTime")
        #expect(extensionJSON(try callExtension(.string("2022-09-01T19:42:28.164Z"), "toDate")) == "\"2022-09-01T19:42:28.164Z\"")
        // Date.parse reads a bare date as UTC midnight; setHours(0) then moves to local midnight of that local day.
        #expect(extensionJSON(try callExtension(.string("2023-01-30"), "toDate")) == "\"2023-01-29T05:00:00.000Z\"")
    }

    @Test("URL, email and domain helpers")
    func urls() throws {
        #expect(extensionJSON(try callExtension(.string("name=Nathan Automat"), "urlEncode")) == "\"name%3DNathan%20Automat\"")
        #expect(extensionJSON(try callExtension(.string("name=Nathan Automat"), "urlEncode", [.bool(true)])) == "\"name=Nathan%20Automat\"")
        #expect(extensionJSON(try callExtension(.string("name%3DNathan%20Automat"), "urlDecode", [.bool(true)])) == "\"name%3DNathan Automat\"")
        #expect(extensionErrorMessage { try callExtension(.string("%%%"), "urlDecode") } != nil)
        #expect(extensionJSON(try callExtension(.string("https://example.com:8080"), "isUrl")) == "true")
        #expect(extensionJSON(try callExtension(.string("example.com/path"), "isUrl")) == "false")
        #expect(extensionJSON(try callExtension(.string("example..com"), "isDomain")) == "false")
        #expect(extensionJSON(try callExtension(.string("example.com:8080"), "isDomain")) == "true")
        #expect(extensionJSON(try callExtension(.string("test @ n8n"), "isEmail")) == "false")
        #expect(extensionJSON(try callExtension(.string("My email is me@example.com"), "extractEmail")) == "\"me@example.com\"")
        #expect(extensionJSON(try callExtension(.string("Invalid URL: http:///example.com"), "extractUrl")) == "undefined")
        #expect(extensionJSON(try callExtension(.string("Check this out: https://subdomain.example.com:3000/path?q=1#hash"), "extractUrl"))
            == "\"https://subdomain.example.com:3000/path?q=1#hash\"")
        #expect(extensionJSON(try callExtension(.string("first.last@example.co.uk"), "extractDomain")) == "\"example.co.uk\"")
        #expect(extensionJSON(try callExtension(.string("https://www.example.com:8080"), "extractDomain")) == "\"www.example.com\"")
        #expect(extensionJSON(try callExtension(.string("www.example.net?test=1213"), "extractDomain")) == "\"www.example.net\"")
        #expect(extensionJSON(try callExtension(.string("https://example.com/orders/1/detail#hash?foo=bar"), "extractUrlPath")) == "\"/orders/1/detail\"")
        #expect(extensionJSON(try callExtension(.string("hi"), "extractUrlPath")) == "undefined")
    }

    @Test("n8n's URL, domain and e-mail tables", arguments: [
        ("isUrl", "http:///", "false"), ("isUrl", "https://", "false"), ("isUrl", "https://example.com#fragment", "true"),
        ("isUrl", "https://example.com?query=1", "true"), ("isUrl", "", "false"),
        ("isDomain", "asdf", "false"), ("isDomain", "example.", "false"), ("isDomain", ".com", "false"),
        ("isDomain", "example_com", "false"), ("isDomain", "example com", "false"), ("isDomain", "xn--80aswg.xn--p1ai", "true"),
        ("isDomain", "subdomain.example.com", "true"),
        ("extractDomain", "//example.com", "\"example.com\""), ("extractDomain", "mailto:john.doe@example.com", "\"example.com\""),
        ("extractDomain", "tel:+1-555-123-4567", "undefined"), ("extractDomain", "name+tag@example.com", "\"example.com\""),
        ("extractDomain", "https://www.example.net?test", "\"www.example.net\""), ("extractDomain", "https://example.space", "\"example.space\""),
        ("extractUrl", "Mixed content: https://www.example.com and http://www.example.org", "\"https://www.example.com\""),
        ("extractUrl", "Localhost URL: http://localhost:8080/test?x=1", "\"http://localhost:8080/test?x=1\""),
        ("isEmail", "aaaaaaaa", "false"), ("isEmail", "test@example.com", "true"),
        ("toSentenceCase", "growth is high. 50%", "\"Growth is high. 50%\""), ("toSnakeCase", "i_am_a_test", "\"i_am_a_test\""),
        ("base64Encode", "n8n test", "\"bjhuIHRlc3Q=\""), ("hash", "12345", "\"827ccb0eea8a706c4c34a16891f84e7b\""),
        ("length", "String", "6"),
    ])
    func tables(name: String, input: String, expected: String) throws {
        #expect(extensionJSON(try callExtension(.string(input), name)) == expected)
    }

    @Test("Markup, JSON and misc")
    func misc() throws {
        #expect(extensionJSON(try callExtension(.string("<b>bold</b>, <a>link</a>"), "removeTags")) == "\"bold, link\"")
        #expect(extensionJSON(try callExtension(.string("*bold*, [link]()"), "removeMarkdown")) == "\"bold, link\"")
        #expect(extensionJSON(try callExtension(.string("The \"best\" colours: red\nbrown"), "toJsonString")) == #""\"The \\\"best\\\" colours: red\\nbrown\"""#)
        #expect(extensionErrorMessage { try callExtension(.string("{'a':1}"), "parseJson") } == "Parsing failed. Check you're using double quotes")
        #expect(extensionJSON(try callExtension(.string("{\"k\":[1,2]}"), "parseJson")) == "{\"k\":[1,2]}")
        #expect(extensionJSON(try callExtension(.string("YWJj"), "base64Decode")) == "\"abc\"")
        #expect(extensionJSON(try callExtension(.string("hello"), "base64Encode")) == "\"aGVsbG8=\"")
        #expect(extensionJSON(try callExtension(.string("4e4"), "isNumeric")) == "true")
        #expect(extensionJSON(try callExtension(.string(""), "isNumeric")) == "false")
        #expect(extensionJSON(try callExtension(.string("Nathan says \"hi\""), "quote")) == #""\"Nathan says \\\"hi\\\"\"""#)
    }
}

@Suite("Number, boolean and object extensions")
struct NumberObjectExtensionTests {
    @Test("Rounding and formatting follow JavaScript")
    func numbers() throws {
        #expect(extensionJSON(try callExtension(.number(1.256), "round", [.number(1)])) == "1.3")
        #expect(extensionJSON(try callExtension(.number(1.2345), "round", [.number(2)])) == "1.23")
        #expect(extensionJSON(try callExtension(.number(1.5001), "round")) == "2")
        #expect(extensionJSON(try callExtension(.number(42144.345), "toInt")) == "42144")
        #expect(extensionJSON(try callExtension(.number(123456.789), "format", [.string("de-DE")])) == "\"123.456,789\"")
        #expect(extensionJSON(try callExtension(.number(1234567.891), "format")) == "\"1,234,567.891\"")
        #expect(extensionJSON(try callExtension(.number(123456.789), "format", [.string("de-DE"), .object([("style", .string("currency")), ("currency", .string("EUR"))])]))
            == "\"123.456,79\u{00A0}€\"")
        #expect(extensionErrorMessage { try callExtension(.number(9.2), "isEven") } == "isEven() is only callable on integers")
        #expect(extensionJSON(try callExtension(.number(-3), "isOdd")) == "true")
        #expect(extensionJSON(try callExtension(.number(45345), "toDateTime", [.string("excel")])) == "\"2024-02-22T19:00:00.000-05:00\"")
        #expect(extensionErrorMessage { try callExtension(.number(1), "toDateTime", [.string("days")]) }?.hasPrefix("Unsupported format 'days'") == true)
    }

    @Test("Objects")
    func objects() throws {
        let o = ExtensionValue.object([("test1", .string("i exist")), ("test2", .string("i should be removed")), ("test3", .object([("test4", .string("me too"))]))])
        #expect(extensionJSON(try callExtension(o, "keepFieldsContaining", [.string("exist")])) == "{\"test1\":\"i exist\"}")
        #expect(extensionJSON(try callExtension(o, "removeFieldsContaining", [.string("removed")])) == "{\"test1\":\"i exist\",\"test3\":{\"test4\":\"me too\"}}")
        #expect(extensionErrorMessage { try callExtension(o, "keepFieldsContaining", [.string("")]) } != nil)
        let c = ExtensionValue.object([("a", .number(0)), ("b", .bool(false)), ("c", .string("")), ("d", .string("nil")), ("e", .number(.nan)), ("f", .null)])
        #expect(try callExtension(c, "compact").keys == ["a", "b", "e"])
        #expect(extensionJSON(try callExtension(.object([("name", .string("Mr Nathan")), ("city", .string("hanoi"))]), "urlEncode")) == "\"name=Mr+Nathan&city=hanoi\"")
        #expect(extensionJSON(try callExtension(.object([("name", .string("hello!()"))]), "urlEncode")) == "\"name=hello%21%28%29\"")
        #expect(extensionJSON(try callExtension(.object([]), "toInt")) == "undefined")
        #expect(extensionJSON(try callExtension(.bool(true), "toInt")) == "1")
        #expect(extensionJSON(try callExtension(.bool(false), "isEmpty")) == "true")
        #expect(extensionJSON(try callExtension(.undefined, "isEmpty")) == "true")
        #expect(extensionJSON(try callExtension(.null, "isNotEmpty")) == "false")
    }

    @Test("Dispatch errors use n8n's wording")
    func dispatchErrors() {
        #expect(extensionErrorMessage { try callExtension(.number(5), "toSnakeCase") } == "toSnakeCase() is only callable on type \"String\"")
        #expect(extensionErrorMessage { try callExtension(.undefined, "toDateTime") } == "toDateTime can't be used on undefined value")
        #expect(extensionErrorMessage { try callExtension(.null, "toSnakeCase") } == "toSnakeCase can't be used on null value")
        #expect(extensionErrorMessage { try callExtension(.bool(true), "sum") } == "sum() is only callable on type \"Array\"")
        #expect(extensionErrorMessage { try callExtension(.bool(true), "isBlank") } == "isBlank() is only callable on type \"String\"")
        #expect(extensionErrorMessage { try callExtension(.bool(true), "toJsonString") } == "toJsonString() is only callable on types \"Array\", \"Object\", and \"String\"")
    }
}

@Suite("Array extensions and convenience functions")
struct ArrayExtensionTests {
    let nums: ExtensionValue = .array([1, 2, 3, 4, 5, 6].map { .number($0) })

    @Test("Aggregates and set operations")
    func arrays() throws {
        #expect(extensionJSON(try callExtension(nums, "sum")) == "21")
        #expect(extensionJSON(try callExtension(nums, "average")) == "3.5")
        #expect(extensionJSON(try callExtension(.array([]), "average")) == "0")
        #expect(extensionErrorMessage { try callExtension(.array([.string("1"), .number(2)]), "sum") } == "sum(): all array elements must be numbers")
        let mixed = ExtensionValue.array([.number(1), .number(2), .string("dd"), .object([]), .null])
        #expect(extensionJSON(try callExtension(mixed, "intersection", [.array([.number(1), .object([]), .null])])) == "[1,{},null]")
        #expect(extensionJSON(try callExtension(mixed, "union", [.array([.number(1), .object([]), .null, .number(3)])])) == "[1,2,\"dd\",{},null,3]")
        #expect(extensionJSON(try callExtension(.array([.number(3), .number(1), .number(2), .number(3), .null]), "compact")) == "[3,1,2,3]")
        #expect(extensionJSON(try callExtension(.array([.number(2), .null, .number(1), .string("")]), "compact")) == "[2,1]")
        #expect(extensionErrorMessage { try callExtension(nums, "chunk", [.number(-1)]) } != nil)
        #expect(extensionJSON(try callExtension(nums, "chunk", [.number(4)])) == "[[1,2,3,4],[5,6]]")
        #expect(extensionJSON(try callExtension(nums, "append", [.number(7), .string("done")])) == "[1,2,3,4,5,6,7,\"done\"]")
    }

    @Test("Objects in arrays: unique, pluck, merge, smartJoin, renameKeys")
    func objectArrays() throws {
        let people = ExtensionValue.array([
            .object([("name", .string("Nathan")), ("age", .number(42))]),
            .object([("name", .string("Jan")), ("age", .number(16))]),
            .object([("name", .string("Nathan")), ("age", .number(21))]),
        ])
        #expect(extensionJSON(try callExtension(people, "unique", [.string("name")])) == "[{\"name\":\"Nathan\",\"age\":42},{\"name\":\"Jan\",\"age\":16}]")
        #expect(extensionJSON(try callExtension(people, "pluck", [.string("name")])) == "[\"Nathan\",\"Jan\",\"Nathan\"]")
        #expect(extensionJSON(try callExtension(people, "pluck", [.string("name"), .string("age")])) == "[[\"Nathan\",42],[\"Jan\",16],[\"Nathan\",21]]")
        let a = ExtensionValue.array([.object([("test1", .number(1)), ("test2", .number(2))]), .object([("test1", .number(1)), ("test3", .number(3))])])
        let b = ExtensionValue.array([.object([("test1", .number(2)), ("test3", .number(3))]), .object([("test4", .number(4))])])
        #expect(extensionJSON(try callExtension(a, "merge", [b])) == "{\"test1\":1,\"test2\":2,\"test3\":3,\"test4\":4}")
        #expect(extensionJSON(try callExtension(.array([.object([("a", .number(1))]), .object([("b", .number(2))])]), "merge", [.array([.object([("c", .number(3))])])])) == "{\"a\":1,\"c\":3}")
        #expect(extensionJSON(try callExtension(.array([.object([("a", .number(1))]), .object([("b", .number(2))])]), "mergeIntoObject", [.array([.object([("c", .number(3))]), .string("x")])])) == "{\"a\":1,\"c\":3,\"b\":2}")
        #expect(extensionJSON(try callExtension(a, "renameKeys", [.string("test1"), .string("rename1")])) == "[{\"test2\":2,\"rename1\":1},{\"test3\":3,\"rename1\":1}]")
        let fields = ExtensionValue.array([.object([("field", .string("age")), ("value", .number(2))]), .object([("field", .string("city")), ("value", .string("Berlin"))])])
        #expect(extensionJSON(try callExtension(fields, "smartJoin", [.string("field"), .string("value")])) == "{\"age\":2,\"city\":\"Berlin\"}")
    }

    @Test("Convenience functions")
    func convenience() throws {
        #expect(extensionJSON(try ConvenienceFunctions.call("max", [.number(1), .number(6), .number(3)])!) == "6")
        #expect(try ConvenienceFunctions.call("max", [.number(1), .number(.nan)]).map { if case .number(let n) = $0 { return n.isNaN } else { return false } } == true)
        #expect(extensionJSON(try ConvenienceFunctions.call("numberList", [.number(1), .number(-2)])!) == "[1,0,-1,-2]")
        #expect(extensionJSON(try ConvenienceFunctions.call("zip", [.array([.string("a"), .string("b")]), .array([.number(1), .number(2)])])!) == "{\"a\":1,\"b\":2}")
        #expect(extensionErrorMessage { try ConvenienceFunctions.call("zip", [.array([.string("a")]), .array([.number(1), .number(2)])])! } == "keys and values not of equal length")
        #expect(extensionJSON(try ConvenienceFunctions.call("$ifEmpty", [.number(0), .string("d")])!) == "0")
        #expect(extensionJSON(try ConvenienceFunctions.call("$ifEmpty", [.array([]), .string("d")])!) == "\"d\"")
        #expect(extensionErrorMessage { try ConvenienceFunctions.call("$ifEmpty", [.number(1)])! }?.hasPrefix("expected two arguments") == true)
    }
}

@Suite("Date extensions")
struct DateExtensionTests {
    func local(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0) -> LuxonDateTime {
        LuxonDateTime.fromObject(["year": y, "month": m, "day": d, "hour": h], zone: LuxonZone.named("America/New_York"), nowMillis: 0)
    }

    @Test("DateTime and JS Date receivers")
    func receivers() throws {
        #expect(extensionJSON(try callExtension(.dateTime(local(2023, 1, 20)), "beginningOf", [.string("week")])) == "\"2023-01-16T00:00:00.000-05:00\"")
        #expect(extensionJSON(try callExtension(.date(local(2023, 1, 20).ts), "beginningOf", [.string("week")])) == "\"2023-01-16T05:00:00.000Z\"")
        #expect(extensionJSON(try callExtension(.date(local(2023, 1, 16).ts), "endOfMonth")) == "\"2023-02-01T04:59:59.999Z\"")
        #expect(extensionJSON(try callExtension(.dateTime(local(2023, 1, 20)), "extract")) == "3")
        #expect(extensionJSON(try callExtension(.date(local(2024, 3, 30, 18).ts), "extract", [.string("yearDayNumber")])) == "90")
        #expect(extensionJSON(try callExtension(.dateTime(local(2023, 1, 20)), "isWeekend")) == "false")
        #expect(extensionJSON(try callExtension(.date(1_711_824_540_000), "minus", [.number(7), .string("days")])) == "\"2024-03-23T18:49:00.000Z\"")
        #expect(extensionJSON(try callExtension(.date(1_711_824_540_000), "minus", [.number(1000)])) == "\"2024-03-30T18:48:59.000Z\"")
        #expect(extensionJSON(try callExtension(.dateTime(local(2024, 1, 15, 7)), "plus", [.number(1), .string("day")])) == "\"2024-01-16T07:00:00.000-05:00\"")
        #expect(extensionJSON(try callExtension(.dateTime(local(2024, 1, 15, 7)), "minus", [.object([("days", .number(42))])])) == "\"2023-12-04T07:00:00.000-05:00\"")
    }

    @Test("Comparisons: isBetween, isInLast, diffTo")
    func comparisons() throws {
        let now = ExtensionValue.dateTime(LuxonDateTime.fromMillis(1_714_564_800_000, zone: LuxonZone.named("America/New_York")))
        #expect(extensionJSON(try callExtension(now, "isBetween", [.string("2024-01-01"), .string("2024-12-31")])) == "true")
        #expect(extensionJSON(try callExtension(now, "isBetween", [now, .string("invalid")])) == "undefined")
        #expect(extensionErrorMessage { try callExtension(now, "isBetween", [now]) } == "isBetween(): expected exactly two args")
        #expect(extensionJSON(try callExtension(.date(1_714_564_500_000), "isInLast", [.number(10), .string("minutes")])) == "true")
        let a = ExtensionValue.dateTime(LuxonDateTime.fromISO("2024-03-30T18:49:00Z", options: .init(zone: LuxonZone.named("America/New_York"))))
        #expect(extensionJSON(try callExtension(a, "diffTo", [.string("2024-03-25T18:49:00Z"), .string("days")])) == "5")
        #expect(extensionErrorMessage { try callExtension(a, "diffTo", [.string("2024-03-25T18:49:00Z"), .string("invalid")]) }?.hasPrefix("Unsupported unit 'invalid'") == true)
        #expect(extensionJSON(try callExtension(a, "toInt")) == "1711824540000")
        let newYear = try callExtension(.string("2025-01-01T00:00:00.000"), "toDateTime")
        #expect(extensionJSON(try callExtension(newYear, "diffTo", [.string("2024-03-30T18:49:07.234"), .array([.string("months"), .string("days")])]))
            == "{\"months\":9,\"days\":1.2158884953703704}")
        #expect(extensionJSON(try callExtension(a, "diffTo", [.string("2024-03-30T12:49:00Z"), .string("hours")])) == "6")
        #expect(extensionJSON(try callExtension(a, "extract", [.string("invalid")])) == "undefined")
        #expect(extensionJSON(try callExtension(.date(1_711_824_540_000), "plus", [.number(4), .string("years")])) == "\"2028-03-30T18:49:00.000Z\"")
    }
}
