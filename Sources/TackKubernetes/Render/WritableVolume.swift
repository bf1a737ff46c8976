/// A writable emptyDir, limited in size, mounted over the read-only root filesystem.
struct WritableVolume: Sendable, Hashable {
    /// The volume's name: the path's DNS label (`/var/lib/web` → `var-lib-web`), numbered when taken.
    var name: String
    /// Where it is mounted.
    var path: String

    /// One volume per path, with distinct valid names.
    static func volumes(_ paths: [String]) -> [WritableVolume] {
        var taken: Set<String> = []
        return paths.enumerated().map { index, path in
            var name = label(path)
            if name.isEmpty { name = "writable" }
            if taken.contains(name) { name = "\(name.prefix(56))-\(index)" }
            taken.insert(name)
            return WritableVolume(name: name, path: path)
        }
    }

    /// Lowercase letters and digits of `path`, other runs turned into one `-`, at most 63 characters.
    private static func label(_ path: String) -> String {
        var result = ""
        for character in path.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                result.append(character)
            } else if !result.isEmpty, result.last != "-" {
                result.append("-")
            }
        }
        var trimmed = String(result.prefix(63))
        while trimmed.last == "-" { trimmed.removeLast() }
        return trimmed
    }
}
