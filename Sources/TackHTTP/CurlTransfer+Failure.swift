import CCurl

extension CurlTransfer {
    /// The failure for a curl result: the kind that says what failed, curl's own message
    /// (redacted), and whether an idempotent request may be sent again.
    func failure(for code: CURLcode) -> TransferFailure {
        if code == CURLE_WRITE_ERROR, let callbackFailure {
            return TransferFailure(error: callbackFailure, isRetryable: false)
        }
        let buffered = errorMessage
        let generic = String(cString: curl_easy_strerror(code))
        // curl keeps the first message of a transfer; one about getpeername on a socket the server
        // already closed (a TLS 1.3 server refusing the client certificate does that) says nothing useful.
        let message = buffered.isEmpty ? generic
            : buffered.hasPrefix("getpeername()") ? "\(generic): the server closed the connection" : buffered
        let (kind, isRetryable) = Self.classify(code, message: message)
        return TransferFailure(error: target.error(kind, message), isRetryable: isRetryable)
    }

    /// The kind of a curl result, and whether it is worth retrying.
    static func classify(_ code: CURLcode, message: String) -> (HTTPError.Kind, isRetryable: Bool) {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return (.connection, true)
        case CURLE_OPERATION_TIMEDOUT:
            // Not retried: a timeout already spent the time the caller allowed for the request.
            return (.timeout, false)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED:
            return (.tls, false)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR:
            // With TLS 1.3 a server refusing the client certificate says so in an alert that
            // arrives as a read error after the handshake.
            if message.contains("alert") || message.contains("SSL routines") { return (.tls, false) }
            return (.transfer, true)
        case CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return (.transfer, true)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return (.invalidRequest, false)
        case CURLE_ABORTED_BY_CALLBACK:
            return (.cancelled, false)
        default:
            return (.transfer, false)
        }
    }
}
