import FlowrunCore
import FlowrunExpressions

extension HTTPRequestNode {
    /// Sends the request (and its follow-up pages) through the resilience service when there is
    /// one; non-2xx answers fail unless `neverError` (or pagination, which decides itself).
    func fetch(_ request: PreparedRequest, http: any HTTPTransport, context: ExecutionContext) async -> Result<[FetchedResponse], NodeError> {
        do {
            if let pagination = request.pagination, pagination.isOn {
                return .success(try await paginate(request, pagination: pagination, http: http, context: context))
            }
            let response = try await send(request.options.spec(), request: request, http: http, context: context, failOnStatus: !request.neverError, itemIndex: request.index)
            return .success([FetchedResponse(data: response)])
        } catch let error as NodeError {
            return .failure(error)
        } catch {
            return .failure(HTTPAPIError.transport(error, secrets: request.secrets, node: context.nodeName, itemIndex: request.index))
        }
    }

    /// One call: the transport, wrapped by the resilience service (breaker per host, retries for
    /// transport failures, 5xx and 429), non-2xx converted to n8n's error when `failOnStatus`.
    func send(
        _ spec: HTTPRequestSpec, request: PreparedRequest, http: any HTTPTransport, context: ExecutionContext, failOnStatus: Bool,
        itemIndex: Int = 0
    ) async throws -> HTTPResponseData {
        let operation: @Sendable () async throws -> HTTPResponseData = {
            let response = try await http.send(spec)
            if failOnStatus, !(200..<300).contains(response.status) { throw HTTPStatusFailure(response: response) }
            return response
        }
        do {
            if let resilience = context.services.resilience {
                return try await resilience.call(target: request.target, policy: .once, context: context, operation)
            }
            return try await operation()
        } catch let failure as HTTPStatusFailure {
            let r = failure.response
            throw HTTPAPIError.status(
                r.status, statusText: r.statusText, body: r.body, contentType: r.header("content-type") ?? "",
                retryAfter: r.header("retry-after"), secrets: request.secrets, node: context.nodeName, itemIndex: itemIndex)
        } catch let error as NodeError {
            throw error
        } catch {
            throw HTTPAPIError.transport(error, secrets: request.secrets, node: context.nodeName, itemIndex: itemIndex)
        }
    }
}
