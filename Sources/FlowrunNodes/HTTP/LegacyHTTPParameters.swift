import FlowrunCore
import FlowrunExpressions

/// The parameters of n8n's HTTP Request node typeVersion 1 and 2 (`HttpRequestV1`/`HttpRequestV2`),
/// decoded once at load time. They share the v3/v4 node's request, transport and response code:
/// `HTTPRequestNode.prepareLegacy` turns them into the same `PreparedRequest`.
struct LegacyHTTPParameters: Sendable {
    /// v1: `none`, `basicAuth`, `digestAuth`, `headerAuth`, `queryAuth`, `oAuth1`, `oAuth2`;
    /// v2: `none`, `genericCredentialType`, `predefinedCredentialType`.
    let authentication: Param<String>
    let genericAuthType: Param<String>
    let nodeCredentialType: Param<String>
    let requestMethod: Param<String>
    let allowUnauthorizedCerts: Param<Bool>
    /// `json`, `string` or `file`; n8n reads it (and `dataPropertyName`) for item 0 only.
    let responseFormat: Param<String>
    let dataPropertyName: Param<String>
    let jsonParameters: Param<Bool>
    let options: Param<JSONValue?>
    let sendBinaryData: Param<Bool>
    let binaryPropertyName: Param<String>
    let bodyParametersJson: Param<JSONValue?>
    let headerParametersJson: Param<JSONValue?>
    let queryParametersJson: Param<JSONValue?>
    let bodyParametersUi: Param<JSONValue?>
    let headerParametersUi: Param<JSONValue?>
    let queryParametersUi: Param<JSONValue?>

    static let v1Authentication = ["basicAuth", "digestAuth", "headerAuth", "none", "oAuth1", "oAuth2", "queryAuth"]
    static let v2Authentication = ["none", "predefinedCredentialType", "genericCredentialType"]
    static let bodyContentTypes = ["json", "raw", "multipart-form-data", "form-urlencoded"]

    init(_ p: ParameterReader, version: Double) {
        authentication = p["authentication"].choice(version < 2 ? Self.v1Authentication : Self.v2Authentication, default: "none")
        genericAuthType = p["genericAuthType"].string(default: "")
        nodeCredentialType = p["nodeCredentialType"].string(default: "")
        requestMethod = p["requestMethod"].choice(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"], default: "GET")
        allowUnauthorizedCerts = p["allowUnauthorizedCerts"].bool(default: false)
        responseFormat = p["responseFormat"].choice(["file", "json", "string"], default: "json")
        dataPropertyName = p["dataPropertyName"].string(default: "data")
        jsonParameters = p["jsonParameters"].bool(default: false)
        p["options"].expectObject()
        _ = p["options"]["bodyContentType"].choice(Self.bodyContentTypes, default: "json")
        options = p["options"].json(default: .object([:]))
        sendBinaryData = p["sendBinaryData"].bool(default: false)
        binaryPropertyName = p["binaryPropertyName"].string(default: "data")
        bodyParametersJson = p["bodyParametersJson"].json(default: "")
        headerParametersJson = p["headerParametersJson"].json(default: "")
        queryParametersJson = p["queryParametersJson"].json(default: "")
        bodyParametersUi = p["bodyParametersUi"].json(default: .object([:]))
        headerParametersUi = p["headerParametersUi"].json(default: .object([:]))
        queryParametersUi = p["queryParametersUi"].json(default: .object([:]))
    }

    /// The credential type the node uses for `authentication` (nil: none). v1 maps its own names;
    /// v2 names the type in `genericAuthType` or `nodeCredentialType`.
    static func credentialType(authentication: String, generic: String, predefined: String, version: Double) -> String? {
        if version < 2 {
            return switch authentication {
            case "basicAuth": "httpBasicAuth"
            case "digestAuth": "httpDigestAuth"
            case "headerAuth": "httpHeaderAuth"
            case "queryAuth": "httpQueryAuth"
            case "oAuth1": "oAuth1Api"
            case "oAuth2": "oAuth2Api"
            default: nil
            }
        }
        switch authentication {
        case "genericCredentialType": return generic
        case "predefinedCredentialType": return predefined.isEmpty ? nil : predefined
        default: return nil
        }
    }
}

/// What the response step of a v1/v2 request needs beyond the v4 fields.
struct LegacyResponse: Sendable {
    /// `options.splitIntoItems`: a JSON array answer gives one item per element.
    var splitIntoItems: Bool
    /// The client parses JSON answers whatever their content type (`json: true`, i.e. the body
    /// content type is not `raw` and the format is not `file`).
    var parsesJSON: Bool
}
