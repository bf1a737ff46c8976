/// Blanks what looks like a credential in text Tack did not write (an exec plugin's stderr, a YAML
/// parser's message) before it goes into an error: the secret values known, JWTs, and runs of 32
/// or more base64 or hex characters.
enum SecretRedaction {
    /// What a blanked secret reads as.
    static let marker = "<redacted>"
    /// The shortest base64 or hex run taken for a secret.
    static let minimumRun = 32

    /// `text` with every value of `known` (4 characters or more, longest first) and every
    /// credential-shaped string replaced by `<redacted>`.
    static func redacted(_ text: String, known: some Sequence<String> = [String]()) -> String {
        var text = Set(known.filter { $0.count >= 4 }).sorted { $0.count > $1.count }
            .reduce(text) { $0.replacingOccurrences(of: $1, with: marker) }
        // `eyJ` is base64url for `{"`: a header, a payload and a signature (empty when unsigned).
        text.replace(try! Regex(#"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"#), with: marker)
        return text.replacing(try! Regex("[A-Za-z0-9+/_-]{\(minimumRun),}=*")) { match in
            isCredentialShaped(text[match.range]) ? marker : String(text[match.range])
        }
    }

    /// Hex, or base64 with upper and lower case letters and digits; a long lowercase name such as
    /// `gke_lora-prod_us-west1_lora-prod` is not a credential.
    private static func isCredentialShaped(_ run: Substring) -> Bool {
        let characters = run.filter { $0 != "=" }
        return characters.allSatisfy(\.isHexDigit)
            || (characters.contains(where: \.isUppercase) && characters.contains(where: \.isLowercase) && characters.contains(where: \.isNumber))
    }
}
