import Foundation
import TackYAML
import Testing

/// The YAML files under `manifests/controller` and `manifests/examples`, read with `TackYAML`:
/// every document of every file (documents are separated by `---` lines), with the problems met.
struct ManifestCatalog: Sendable {
    /// The repository's root, found from this file's place.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The folders whose YAML files are checked.
    static let folders = ["manifests/controller", "manifests/examples"]
    /// The catalog, read once.
    static let shared = ManifestCatalog.load()

    /// Every YAML file, relative to the repository, sorted.
    var files: [String] = []
    /// Every document of every file, in order.
    var documents: [ManifestValue] = []
    /// Files that cannot be read or parsed, and YAML problems such as duplicate keys.
    var problems: [String] = []

    /// The Kubernetes objects (documents with an `apiVersion`), the Kustomization included.
    var objects: [ManifestObject] {
        documents.filter { $0["apiVersion"] != nil }.map(ManifestObject.init)
    }

    /// The objects of one kind.
    func objects(_ kind: String) -> [ManifestObject] {
        objects.filter { $0.kind == kind }
    }

    /// The object of `kind` named `name` (in `namespace`, when given).
    func object(_ kind: String, _ name: String, namespace: String? = nil) -> ManifestObject? {
        objects(kind).first { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }

    /// The documents that are not Kubernetes objects: Tack pipelines and accounts files.
    var tackFiles: [ManifestValue] {
        documents.filter { $0["apiVersion"] == nil }
    }

    static func load() -> ManifestCatalog {
        var catalog = ManifestCatalog()
        for folder in folders {
            let base = repository.appendingPathComponent(folder).path
            guard let entries = FileManager.default.enumerator(atPath: base) else {
                catalog.problems.append("\(folder): the folder cannot be read")
                continue
            }
            for case let entry as String in entries where entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
                catalog.files.append("\(folder)/\(entry)")
            }
        }
        catalog.files.sort()
        for file in catalog.files {
            guard let text = try? String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8) else {
                catalog.problems.append("\(file): the file cannot be read as UTF-8 text")
                continue
            }
            for (firstLine, document) in split(text) {
                do {
                    // Blank lines in front keep every mark at its line in the whole file.
                    let parsed = try YAMLParser.parse(String(repeating: "\n", count: firstLine) + document)
                    catalog.problems += parsed.problems.map { "\(file):\($0.mark.line):\($0.mark.column): \($0.message)" }
                    if let root = parsed.root { catalog.documents.append(ManifestValue(node: root, file: file)) }
                } catch {
                    catalog.problems.append("\(file):\(error.mark.line):\(error.mark.column): \(error.message)")
                }
            }
        }
        return catalog
    }

    /// The documents of a multi-document file, each with the 0-based line it starts on.
    static func split(_ text: String) -> [(firstLine: Int, text: String)] {
        var documents: [(Int, String)] = []
        var lines: [Substring] = []
        var start = 0
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces) == "---" {
                documents.append((start, lines.joined(separator: "\n")))
                lines = []
                start = number + 1
            } else {
                lines.append(line)
            }
        }
        documents.append((start, lines.joined(separator: "\n")))
        return documents
    }
}

/// A value of a manifest, with its file for messages.
struct ManifestValue: Sendable, CustomStringConvertible {
    let node: YAMLNode
    let file: String

    /// The value under a path of mapping keys, or nil when a key is absent.
    subscript(_ keys: String...) -> ManifestValue? {
        var current = self
        for key in keys {
            guard let pair = current.node.mapping?.first(where: { $0.key.scalar?.value == key }) else { return nil }
            current = ManifestValue(node: pair.value, file: file)
        }
        return current
    }

    /// The scalar's text.
    var string: String? { node.scalar?.value }
    /// A plain integer.
    var int: Int? { node.scalar.flatMap { $0.isPlain ? Int($0.value) : nil } }
    /// A plain `true` or `false`.
    var bool: Bool? {
        guard let scalar = node.scalar, scalar.isPlain else { return nil }
        return scalar.value == "true" ? true : scalar.value == "false" ? false : nil
    }
    /// The items of a sequence; none for anything else.
    var items: [ManifestValue] { node.sequence?.map { ManifestValue(node: $0, file: file) } ?? [] }
    /// The scalars of a sequence.
    var strings: [String] { items.compactMap(\.string) }
    /// The pairs of a mapping, in written order.
    var pairs: [(key: String, value: ManifestValue)] {
        node.mapping?.compactMap { pair in pair.key.scalar.map { ($0.value, ManifestValue(node: pair.value, file: file)) } } ?? []
    }
    /// A mapping of scalars, such as labels or a selector.
    var stringMap: [String: String] {
        Dictionary(pairs.compactMap { pair in pair.value.string.map { (pair.key, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether Kubernetes reads this scalar as a string. Its YAML reader follows YAML 1.1, so plain
    /// `true`, `yes`, `on`, `8080`, `1.5` or `null` are not strings there.
    var isKubernetesString: Bool {
        guard let scalar = node.scalar else { return false }
        guard scalar.isPlain else { return true }
        let typed = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ""]
        return !typed.contains(scalar.value.lowercased()) && Double(scalar.value) == nil
    }

    /// Where the value is, `FILE:LINE:COLUMN`.
    var place: String { "\(file):\(node.mark.line):\(node.mark.column)" }

    var description: String { string.map { "\($0.debugDescription) at \(place)" } ?? place }
}

/// A Kubernetes object of a manifest file.
struct ManifestObject: Sendable, CustomTestStringConvertible {
    let root: ManifestValue

    init(_ root: ManifestValue) {
        self.root = root
    }

    var file: String { root.file }
    /// The file's folder, relative to the repository.
    var folder: String { (file as NSString).deletingLastPathComponent }
    var apiVersion: String { root["apiVersion"]?.string ?? "" }
    var kind: String { root["kind"]?.string ?? "" }
    var name: String { root["metadata", "name"]?.string ?? "" }
    var namespace: String? { root["metadata", "namespace"]?.string }
    var labels: [String: String] { root["metadata", "labels"]?.stringMap ?? [:] }

    subscript(_ keys: String...) -> ManifestValue? {
        var current: ManifestValue? = root
        for key in keys { current = current?[key] }
        return current
    }

    /// A Deployment's pod spec.
    var podSpec: ManifestValue? { self["spec", "template", "spec"] }
    /// A Deployment's pod labels.
    var podLabels: [String: String] { self["spec", "template", "metadata", "labels"]?.stringMap ?? [:] }
    /// A pod spec's containers and init containers.
    var containers: [ManifestValue] {
        (podSpec?["initContainers"]?.items ?? []) + (podSpec?["containers"]?.items ?? [])
    }

    var testDescription: String { "\(file): \(kind)/\(name)" }
}

@Suite("Manifests: every file is a well-formed Kubernetes object")
struct ManifestTests {
    /// The API version of every kind the manifests may hold, and whether the kind is namespaced.
    static let kinds: [String: (apiVersion: String, isNamespaced: Bool)] = [
        "Namespace": ("v1", false),
        "ServiceAccount": ("v1", true),
        "ConfigMap": ("v1", true),
        "Secret": ("v1", true),
        "PersistentVolumeClaim": ("v1", true),
        "Service": ("v1", true),
        "Deployment": ("apps/v1", true),
        "Role": ("rbac.authorization.k8s.io/v1", true),
        "RoleBinding": ("rbac.authorization.k8s.io/v1", true),
        "HTTPRoute": ("gateway.networking.k8s.io/v1", true),
        "Kustomization": ("kustomize.config.k8s.io/v1beta1", false),
    ]

    let catalog = ManifestCatalog.shared

    @Test("every manifest file parses as YAML, without duplicate keys")
    func parses() {
        #expect(catalog.problems == [])
        #expect(catalog.files.contains("manifests/controller/kustomization.yaml"))
        #expect(catalog.files.contains("manifests/examples/lora-train/httproute.yaml"))
        #expect(catalog.objects.count >= 15)
    }

    @Test("every object has a known kind with its apiVersion, a DNS-label name, and a namespace exactly when namespaced")
    func requiredFields() {
        for object in catalog.objects {
            guard let known = Self.kinds[object.kind] else {
                Issue.record("\(object.root.place): unexpected kind \(object.kind.debugDescription); add it to ManifestTests.kinds")
                continue
            }
            #expect(object.apiVersion == known.apiVersion, "\(object.testDescription)")
            if object.kind == "Kustomization" { continue }
            #expect(Self.isDNSLabel(object.name), "\(object.testDescription): metadata.name")
            if known.isNamespaced {
                #expect(object.namespace.map(Self.isDNSLabel) == true, "\(object.testDescription) needs metadata.namespace")
            } else {
                #expect(object.namespace == nil, "\(object.testDescription) is cluster-scoped")
            }
        }
    }

    @Test("no two objects share a kind, namespace and name")
    func uniqueNames() {
        var seen: [String: String] = [:]
        for object in catalog.objects where object.kind != "Kustomization" {
            let key = "\(object.kind)/\(object.namespace ?? "")/\(object.name)"
            #expect(seen[key] == nil, "\(object.testDescription) is also defined in \(seen[key] ?? "")")
            seen[key] = object.file
        }
    }

    @Test("labels, annotations, selectors and env values are strings as Kubernetes reads YAML")
    func stringValues() {
        for object in catalog.objects {
            let maps = [object["metadata", "labels"], object["metadata", "annotations"], object["spec", "selector"],
                        object["spec", "selector", "matchLabels"], object["spec", "template", "metadata", "labels"],
                        object["spec", "template", "metadata", "annotations"], object["data"], object["stringData"]]
            var values = maps.compactMap { $0 }.flatMap { $0.pairs.map(\.value) }
            values += object.containers.flatMap { $0["env"]?.items.compactMap { $0["value"] } ?? [] }
            for value in values where value.node.scalar != nil {
                #expect(value.isKubernetesString, "\(value.place): quote \(value.string ?? "") so it stays a string")
            }
        }
    }

    @Test("every other YAML file is a Tack pipeline or accounts file")
    func tackFiles() {
        let names = catalog.tackFiles.map { ($0.file as NSString).lastPathComponent }
        #expect(names.sorted() == ["pipeline.yaml", "tack.yaml"])
        for document in catalog.tackFiles {
            #expect(document["application"] != nil || document["accounts"] != nil, "\(document.place)")
        }
    }

    /// An RFC 1123 label that also starts with a letter (RFC 1035), as Service names must.
    static func isDNSLabel(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter, name.count <= 63, name.last != "-" else { return false }
        return name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
