import FlowrunExpressions
import Foundation
import HTTPTypes
import Hummingbird

/// What a stand-in route answers: a status, a JSON body and extra headers.
struct StandInReply: Sendable {
    var status: Int
    var body: JSONValue
    var headers: [(String, String)] = []

    init(_ status: Int, _ body: JSONValue, headers: [(String, String)] = []) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    var response: Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        for (name, value) in headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        return Response(
            status: .init(code: status),
            headers: fields,
            body: .init(byteBuffer: ByteBuffer(string: body.jsonString()))
        )
    }
}

/// What a route sees of a request: method, path below the prefix, query, headers and JSON body.
struct StandInRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var headers: HTTPFields
    var rawBody: String
    var json: JSONValue?

    func header(_ name: String) -> String? {
        guard let fieldName = HTTPField.Name(name) else { return nil }
        return headers[fieldName]
    }

    /// The token of an `Authorization: Bearer <token>` header.
    var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
