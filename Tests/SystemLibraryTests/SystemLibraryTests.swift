import CCurl
import COpenBLAS
import CYAML
import Testing

/// The system-library shims resolve, link and work with the Debian packages scripts/lib.sh installs.
@Suite("system libraries")
struct SystemLibraryTests {
    @Test("libcurl speaks HTTPS (Tack's HTTP client needs TLS)")
    func curl() throws {
        let info = try #require(tack_curl_version_info())
        #expect(info.pointee.features & CURL_VERSION_SSL != 0)
        let protocols = sequence(first: info.pointee.protocols) { $0.advanced(by: 1) }
            .prefix { $0.pointee != nil }
            .map { String(cString: $0.pointee!) }
        #expect(protocols.contains("https"))
    }

    @Test("OpenBLAS multiplies matrices")
    func openBLAS() {
        let a: [Float] = [1, 2, 3, 4]          // row-major 2x2
        let b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 0, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
    }

    @Test("libyaml is version 0.2")
    func yaml() {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        yaml_get_version(&major, &minor, &patch)
        #expect(major == 0 && minor == 2)
    }
}
