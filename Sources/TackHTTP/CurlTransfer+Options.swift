import CCurl

extension CurlTransfer {
    /// Sets every easy option for `request`; the handle is not shared yet.
    func configure(request: HTTPRequest, configuration: HTTPClientConfiguration, purpose: Purpose) throws(HTTPError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_URL, target.curlURL, "URL")
        try set(CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR")
        try set(CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
        try check(tack_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
        // The context is unretained: the driver keeps the transfer alive while curl may call back.
        try check(tack_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
        }, "HEADERFUNCTION")
        try check(tack_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "HEADERDATA")
        try check(tack_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }, "WRITEFUNCTION")
        try check(tack_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "WRITEDATA")
        try set(CURLOPT_ACCEPT_ENCODING, "", "ACCEPT_ENCODING")
        try set(CURLOPT_TCP_KEEPALIVE, 1, "TCP_KEEPALIVE")
        try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1, "SUPPRESS_CONNECT_HEADERS")
        try set(CURLOPT_PIPEWAIT, 1, "PIPEWAIT")     // wait for a multiplexed HTTP/2 connection, not open more
        try set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds, "CONNECTTIMEOUT_MS")
        switch purpose {
        case .response:
            let timeout = request.timeout ?? configuration.requestTimeout
            try set(CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds, "TIMEOUT_MS")
        case .stream:
            if let timeout = request.timeout { try set(CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds, "TIMEOUT_MS") }
            if let limit = configuration.streamLowSpeedLimit {
                try set(CURLOPT_LOW_SPEED_LIMIT, limit.bytesPerSecond, "LOW_SPEED_LIMIT")
                try set(CURLOPT_LOW_SPEED_TIME, (limit.duration.curlMilliseconds + 999) / 1000, "LOW_SPEED_TIME")
            }
        }
        if let proxy = configuration.proxyURL { try set(CURLOPT_PROXY, proxy, "PROXY") }
        try configureMethod(request)
        try configureHeaders(request)
        try configureTLS(configuration.tls)
    }

    private func configureMethod(_ request: HTTPRequest) throws(HTTPError) {
        let method = request.method.rawValue
        guard !method.isEmpty, method.utf8.allSatisfy(\.isTokenCharacter) else {
            throw target.error(.invalidRequest, "the method is not an HTTP token")
        }
        if request.method == .head {
            try set(CURLOPT_NOBODY, 1, "NOBODY")
        } else if request.body != nil || request.method == .post {
            let body = request.body ?? []
            try check(tack_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "POSTFIELDSIZE_LARGE")
            // COPYPOSTFIELDS copies the bytes, so the body need not outlive this call.
            let code = body.isEmpty
                ? tack_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
                : body.withUnsafeBytes { tack_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            try check(code, "COPYPOSTFIELDS")
            if request.method != .post { try set(CURLOPT_CUSTOMREQUEST, method, "CUSTOMREQUEST") }
        } else if request.method != .get {
            try set(CURLOPT_CUSTOMREQUEST, method, "CUSTOMREQUEST")
        }
    }

    private func configureHeaders(_ request: HTTPRequest) throws(HTTPError) {
        var lines: [String] = []
        for field in request.headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(\.isTokenCharacter) else {
                throw target.error(.invalidRequest, "a header name is not an HTTP token")
            }
            guard !field.value.utf8.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 }) else {
                throw target.error(.invalidRequest, "the value of header \(field.name) holds a line break")
            }
            // curl sends "Name;" as a header with an empty value ("Name:" would remove it).
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        // No "Expect: 100-continue" round trip for large bodies, and no form content type by default.
        if request.headers["Expect"] == nil { lines.append("Expect:") }
        if request.headers["Content-Type"] == nil { lines.append("Content-Type:") }
        try setList(CURLOPT_HTTPHEADER, lines, "HTTPHEADER")
    }

    private func configureTLS(_ tls: TLSConfiguration) throws(HTTPError) {
        if let caPEM = tls.caPEM {
            try setBlob(CURLOPT_CAINFO_BLOB, caPEM, "CAINFO_BLOB")
            // Trust only the given CAs, as kubectl does with certificate-authority-data.
            try check(tack_easy_setopt_string(handle, CURLOPT_CAPATH, nil), "CAPATH")
        }
        if let certificate = tls.clientCertificatePEM, let key = tls.clientKeyPEM {
            try setBlob(CURLOPT_SSLCERT_BLOB, certificate, "SSLCERT_BLOB")
            try set(CURLOPT_SSLCERTTYPE, "PEM", "SSLCERTTYPE")
            try setBlob(CURLOPT_SSLKEY_BLOB, key, "SSLKEY_BLOB")
            try set(CURLOPT_SSLKEYTYPE, "PEM", "SSLKEYTYPE")
        }
        if let connectTo = target.connectTo {
            try setList(CURLOPT_CONNECT_TO, [connectTo], "CONNECT_TO")
        }
        if tls.insecureSkipVerify {
            try set(CURLOPT_SSL_VERIFYPEER, 0, "SSL_VERIFYPEER")
            try set(CURLOPT_SSL_VERIFYHOST, 0, "SSL_VERIFYHOST")
        }
    }

    private func set(_ option: CURLoption, _ value: Int, _ name: String) throws(HTTPError) {
        try check(tack_easy_setopt_long(handle, option, value), name)
    }

    private func set(_ option: CURLoption, _ value: String, _ name: String) throws(HTTPError) {
        try check(tack_easy_setopt_string(handle, option, value), name)
    }

    private func setBlob(_ option: CURLoption, _ bytes: [UInt8], _ name: String) throws(HTTPError) {
        let code = bytes.withUnsafeBytes { tack_easy_setopt_blob(handle, option, $0.baseAddress, $0.count) }
        try check(code, name)
    }

    private func setList(_ option: CURLoption, _ lines: [String], _ name: String) throws(HTTPError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                if let list { curl_slist_free_all(list) }
                throw target.error(.transfer, "curl could not build the \(name) list")
            }
            list = appended
        }
        guard let list else { return }
        retain(list)
        try check(tack_easy_setopt_slist(handle, option, list), name)
    }

    private func check(_ code: CURLcode, _ name: String) throws(HTTPError) {
        guard code != CURLE_OK else { return }
        throw target.error(.configuration, "curl refused option \(name): \(String(cString: curl_easy_strerror(code)))")
    }
}

extension UInt8 {
    /// Whether the byte may appear in an HTTP token (RFC 9110 5.6.2): a method or header name.
    var isTokenCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(self)
        }
    }
}
