import Foundation
import HTTPTypes
import Hummingbird
import TackDashboard

/// The web page: `/` and `/assets/<name>` (no token: they hold no data), the one-time links that
/// `tack dashboard` asks for, and their exchange for a browser session.
struct DashboardRoutes: Sendable {
    let sessions: DashboardSessions
    let bodyLimit: Int

    /// Where the page's assets are served.
    static let assetsPrefix = "/assets/"
    /// Where a browser exchanges a one-time code for a session token.
    static let sessionPath = "/v1/dashboard/session"

    /// The body of a code's exchange.
    struct Exchange: Decodable {
        let code: String
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in Self.serve(DashboardAssets.page, to: request, isPage: true) }
        router.get("/assets/{name}") { request, context in
            guard let asset = context.parameters.get("name").flatMap({ DashboardAssets.assets[$0] }) else {
                throw APIError(.notFound, "no such asset")
            }
            return Self.serve(asset, to: request, isPage: false)
        }
        router.post("/v1/dashboard/links") { _, _ in try APIJSON.response(sessions.issueLink(), status: .created) }
        router.post(RouterPath(Self.sessionPath)) { request, _ in
            let body = try await APIJSON.decode(Exchange.self, from: request, limit: bodyLimit)
            guard let session = sessions.exchange(body.code) else {
                throw APIError(.unauthorized, "this sign-in link was used already or has expired; run tack dashboard for a new one")
            }
            return try APIJSON.response(session)
        }
    }

    private static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    private static let xFrameOptions = HTTPField.Name("X-Frame-Options")!

    /// The asset, or 304 when the browser's copy is current; the page with its security headers.
    static func serve(_ asset: DashboardAsset, to request: Request, isPage: Bool) -> Response {
        var headers: HTTPFields = [
            .contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "no-cache",
            .xContentTypeOptions: "nosniff", Self.referrerPolicy: "no-referrer",
        ]
        if isPage {
            headers[.contentSecurityPolicy] = DashboardAssets.contentSecurityPolicy
            headers[Self.xFrameOptions] = "DENY"
        }
        if request.headers[.ifNoneMatch]?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag }) == true {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
