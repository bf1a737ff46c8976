import KubeAPI

/// A failure answered as a `Status` object, built the way kube-apiserver's `errors.go` builds it.
struct APIFailure: Error, Sendable {
    /// One field-level cause; its type serializes as `reason`.
    struct Cause: Sendable, Hashable {
        var reason: String
        var message: String
        var field: String
    }

    var code: Int
    var reason: String
    var message: String
    /// `details` members; nil leaves `details` out, an empty dictionary sends `{}`.
    var details: [String: JSONValue]?
    /// `metadata.continue` of the Status (an expired list continue token offers an inconsistent one).
    var continueToken: String?
    /// Extra response headers, such as `Retry-After`.
    var headers: [(name: String, value: String)] = []

    /// The Status object sent as the response body or in a watch `ERROR` event.
    var status: JSONValue {
        var metadata: [String: JSONValue] = [:]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        var status: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object(metadata), "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .integer(Int64(code)),
        ]
        if reason.isEmpty { status["reason"] = nil }
        if let details { status["details"] = .object(details) }
        return .object(status)
    }

    /// `details` naming an object: `name`, `group` (left out for the core group) and `kind`.
    static func objectDetails(_ resource: KubeResource, name: String, kind: String? = nil) -> [String: JSONValue] {
        var details: [String: JSONValue] = ["kind": .string(kind ?? resource.plural)]
        if !name.isEmpty { details["name"] = .string(name) }
        if !resource.group.isEmpty { details["group"] = .string(resource.group) }
        return details
    }

    /// 404 `deployments.apps "web" not found`.
    static func notFound(_ resource: KubeResource, name: String) -> APIFailure {
        APIFailure(code: 404, reason: "NotFound", message: "\(resource) \"\(name)\" not found",
                   details: objectDetails(resource, name: name))
    }

    /// 404 for a path the server does not serve.
    static let unknownPath = APIFailure(code: 404, reason: "NotFound", message: "the server could not find the requested resource", details: [:])

    /// 409 `deployments.apps "web" already exists`.
    static func alreadyExists(_ resource: KubeResource, name: String) -> APIFailure {
        APIFailure(code: 409, reason: "AlreadyExists", message: "\(resource) \"\(name)\" already exists",
                   details: objectDetails(resource, name: name))
    }

    /// 409 `Operation cannot be fulfilled on deployments.apps "web": <why>`.
    static func conflict(_ resource: KubeResource, name: String, _ why: String) -> APIFailure {
        APIFailure(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(why)",
                   details: objectDetails(resource, name: name))
    }

    /// 409 for a stale `metadata.resourceVersion` (the apiserver's OptimisticLockErrorMsg).
    static func optimisticLock(_ resource: KubeResource, name: String) -> APIFailure {
        conflict(resource, name: name, "the object has been modified; please apply your changes to the latest version and try again")
    }

    /// 422 `Deployment.apps "web" is invalid: <field>: <cause>` (several causes in brackets).
    static func invalid(kind: String, group: String, name: String, causes: [Cause]) -> APIFailure {
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        let errors = causes.map { "\($0.field): \($0.message)" }
        let aggregate = errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"
        var details: [String: JSONValue] = [
            "kind": .string(kind),
            "causes": .array(causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] }),
        ]
        if !name.isEmpty { details["name"] = .string(name) }
        if !group.isEmpty { details["group"] = .string(group) }
        return APIFailure(code: 422, reason: "Invalid", message: "\(qualifiedKind) \"\(name)\" is invalid: \(aggregate)", details: details)
    }

    /// 422 for invalid PatchOptions or DeleteOptions (`PatchOptions.meta.k8s.io "" is invalid: ...`).
    static func invalidOptions(_ kind: String, _ cause: Cause) -> APIFailure {
        invalid(kind: kind, group: "meta.k8s.io", name: "", causes: [cause])
    }

    /// 400 with `message` and no details.
    static func badRequest(_ message: String) -> APIFailure {
        APIFailure(code: 400, reason: "BadRequest", message: message)
    }

    /// 401 for a missing or rejected bearer token.
    static let unauthorized = APIFailure(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// 405 for a verb the path does not support.
    static let methodNotAllowed = APIFailure(
        code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource", details: [:])

    /// 410 `Expired` with `message`.
    static func expired(_ message: String) -> APIFailure {
        APIFailure(code: 410, reason: "Expired", message: message)
    }

    /// 415 listing the media types the endpoint accepts, as the apiserver's negotiation error does.
    static func unsupportedMediaType(accepting types: [String]) -> APIFailure {
        APIFailure(code: 415, reason: "UnsupportedMediaType",
                   message: "the body of the request was in an unknown format - accepted media types include: " + types.joined(separator: ", "),
                   details: [:])
    }

    /// 415 for a request the fake recognises but does not implement (the message says so).
    static func notImplemented(_ what: String) -> APIFailure {
        APIFailure(code: 415, reason: "UnsupportedMediaType", message: "the fake API server does not implement \(what)", details: [:])
    }

    /// 500 `Internal error occurred: <message>`.
    static func internalError(_ message: String) -> APIFailure {
        APIFailure(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                   details: ["causes": [["message": .string(message)]]])
    }

    /// A failure for an injected fault with HTTP status `code`, shaped like the server's own for that code.
    static func injected(code: Int, message: String?, retryAfter: String?) -> APIFailure {
        let retrySeconds = retryAfter.flatMap(Int.init)
        var failure: APIFailure
        switch code {
        case 429:
            failure = APIFailure(code: 429, reason: "TooManyRequests", message: message ?? "Too many requests, please try again later.", details: [:])
        case 500:
            failure = internalError(message ?? "injected by the fake API server")
        case 503:
            failure = APIFailure(code: 503, reason: "ServiceUnavailable", message: message ?? "The server is currently unable to handle the request", details: [:])
        case 504:
            failure = APIFailure(code: 504, reason: "Timeout", message: message ?? "Timeout: request did not complete within the allotted timeout", details: [:])
        case 401:
            failure = unauthorized
        case 403:
            failure = APIFailure(code: 403, reason: "Forbidden", message: message ?? "forbidden: injected by the fake API server", details: [:])
        case 409:
            failure = APIFailure(code: 409, reason: "Conflict", message: message ?? "Operation cannot be fulfilled: injected conflict", details: [:])
        case 410:
            failure = expired(message ?? "too old resource version")
        default:
            failure = APIFailure(code: code, reason: code >= 500 ? "InternalError" : "BadRequest", message: message ?? "injected failure \(code)", details: [:])
            if code == 400 { failure.details = nil }
        }
        if let retryAfter {
            failure.headers.append(("Retry-After", retryAfter))
            if let retrySeconds { failure.details = (failure.details ?? [:]).merging(["retryAfterSeconds": .integer(Int64(retrySeconds))]) { $1 } }
        }
        return failure
    }
}
