/// The files of the web page that `tack controller` serves at `/`: the page and its assets.
public enum DashboardAssets {
    /// The page, served at `/`.
    public static let page = DashboardAsset(name: "index.html", bytes: PackageResources.index_html, contentType: html)

    /// The assets the page loads, by the name they are served under at `/assets/<name>`.
    public static let assets: [String: DashboardAsset] = Dictionary(uniqueKeysWithValues: [
        DashboardAsset(name: "app.js", bytes: PackageResources.app_js, contentType: javaScript),
        DashboardAsset(name: "api.js", bytes: PackageResources.api_js, contentType: javaScript),
        DashboardAsset(name: "chart.js", bytes: PackageResources.chart_js, contentType: javaScript),
        DashboardAsset(name: "views.js", bytes: PackageResources.views_js, contentType: javaScript),
        DashboardAsset(name: "tack.css", bytes: PackageResources.tack_css, contentType: "text/css; charset=utf-8"),
        DashboardAsset(name: "favicon.svg", bytes: PackageResources.favicon_svg, contentType: "image/svg+xml"),
    ].map { ($0.name, $0) })

    /// The policy the page runs under: its own scripts, styles and API only, so that nothing is
    /// loaded from elsewhere and no injected markup can run.
    public static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
        "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let html = "text/html; charset=utf-8"
    static let javaScript = "text/javascript; charset=utf-8"
}
