import ArgumentParser
import Foundation
import TackServer

/// `tack dashboard`: opens the controller's web page, signed in by a one-time link.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the controller's web page in a browser, signed in with a one-time link.",
        discussion: """
            The link works once, within a minute; the browser then holds a session of its own for 12 hours \
            (until the controller restarts), never the controller's token. Without a browser to open ($BROWSER, \
            else xdg-open), the link is printed. Exit codes: 0 opened or printed; 1 an error (no controller, \
            no token, a refused token); 64 wrong command-line usage.
            """
    )

    @Flag(name: .customLong("print-url"), help: "Print the one-time link instead of opening a browser (for headless use).")
    var printURL = false

    @OptionGroup var controller: ControllerOptions

    func run() async throws {
        let url: String
        do {
            let client = try controller.makeClient()
            let link = try await client.post("/v1/dashboard/links", as: DashboardSessions.Link.self).value
            url = Self.url(base: client.baseURL, code: link.code)
        } catch {
            throw ClientError.exit(error)
        }
        if printURL {
            Console.out(url + "\n")
        } else if let browser = Self.browser(), await Self.open(url, with: browser) {
            Console.err("Opened the dashboard in \(browser) (the link works once, within a minute).\n")
        } else {
            Console.err("No browser to open (set $BROWSER); open this link within a minute, it works once:\n")
            Console.out(url + "\n")
        }
    }

    /// The page's address with the code in its fragment, which browsers never send to a server.
    static func url(base: String, code: String) -> String {
        "\(base)/#login=\(code)"
    }

    /// `$BROWSER`, else `xdg-open` when it is on the PATH.
    static func browser(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let browser = environment["BROWSER"], !browser.isEmpty { return browser }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/xdg-open" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether `browser` started with `url` and did not fail within two seconds (a browser that
    /// keeps running, as a first instance does, counts as opened).
    private static func open(_ url: String, with browser: String) async -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [browser, url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        for _ in 0..<20 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        return process.isRunning || process.terminationStatus == 0
    }
}
