import TackHTTP

extension KubeClient {
    /// How long after `timeoutSeconds` the client gives up on a watch the server did not end
    /// (a connection that died without a word).
    static let watchTimeoutGrace = Duration.seconds(30)

    /// Opens a watch of the collection from `resourceVersion` (nil: the current objects as ADDED
    /// first), with bookmarks; the server ends it after `timeoutSeconds`, and the client cuts it
    /// 30 s later should the server not. A 410 on opening throws `KubeError.status` with reason `.expired`.
    public func watch(_ resource: KubeResource, namespace: String? = nil, selector: ListSelector = ListSelector(),
                      resourceVersion: String?, timeoutSeconds: Int = 300) async throws(KubeError) -> WatchStream {
        var query = selector.query + [("watch", "1"), ("allowWatchBookmarks", "true"), ("timeoutSeconds", String(timeoutSeconds))]
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        let path = resource.collectionPath(namespace: self.namespace(namespace, resource))
        let url = connection.server + path + Self.queryString(query)
        let timeout = timeoutSeconds > 0 ? .seconds(timeoutSeconds) + Self.watchTimeoutGrace : nil
        var refreshed = false
        while true {
            try await pace()
            let credential = try await connection.credentials.credential()
            let request = HTTPRequest(method: .get, url: url, headers: headers(credential, contentType: nil), timeout: timeout)
            let client = try transports.client(for: credential)
            let stream: HTTPStream
            do {
                stream = try await client.stream(request)
            } catch {
                throw error.kind == .cancelled ? .cancelled : .transport(error)
            }
            if stream.status == 200 { return WatchStream(stream: stream) }
            var body: [UInt8] = []
            do {
                for try await line in stream.lines where body.count < 1 << 20 { body += Array(line.utf8) + [10] }
            } catch {}
            if stream.status == 401 && !refreshed {
                refreshed = true
                await connection.credentials.invalidate()
                continue
            }
            throw Self.statusError(HTTPResponse(status: stream.status, headers: stream.headers, body: body), request: "GET \(path) (watch)")
        }
    }
}
