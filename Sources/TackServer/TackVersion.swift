/// The version of Tack the controller reports in `tack_build_info`.
public enum TackVersion {
    /// Set by the build, or "dev".
    public static let current = "dev"
}
