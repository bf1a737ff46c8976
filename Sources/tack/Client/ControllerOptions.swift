import ArgumentParser
import Foundation
import TackServer

/// `--controller URL` and `--home DIR`: where the controller listens and where its token is.
struct ControllerOptions: ParsableArguments {
    @Option(name: .long, help: "The controller's URL (default: $TACK_CONTROLLER, else http://127.0.0.1:7420).")
    var controller: String?

    @OptionGroup var runtime: RuntimeOptions

    /// The default address `tack controller` listens on.
    static let defaultURL = "http://127.0.0.1:7420"

    /// The base URL without a trailing slash.
    func baseURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var url = controller ?? environment["TACK_CONTROLLER"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultURL
        while url.hasSuffix("/") { url.removeLast() }
        return url.contains("://") ? url : "http://" + url
    }

    /// The bearer token: `$TACK_TOKEN`, else `HOME/controller.token`; nil when neither is set.
    func token(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let token = environment["TACK_TOKEN"], !token.isEmpty { return token }
        return (try? ControllerToken.load(home: runtime.runtimeHome.path)) ?? nil
    }

    /// A client for the controller; prints the error and exits 1 when the HTTP client cannot start.
    func makeClient() throws -> ControllerClient {
        do {
            return try ControllerClient(baseURL: baseURL(), token: token())
        } catch {
            Console.err("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}
