import TackYAML

extension TrainingConfig {
    /// The sections of the nested form; any key may sit in either, or at the top.
    static let sections = ["model_config", "training_config"]

    /// Decodes a config file's bytes and applies `LORA_<KEY>` overrides from `environment`, reading and
    /// writing no file: `path` names the file in messages and relative paths resolve against its directory.
    ///
    /// The config is nil only when the YAML cannot be parsed; `problems` lists every problem found,
    /// those from a YAML value starting `FILE:LINE:COLUMN: `, those from a variable naming it.
    public static func decode(
        yaml bytes: [UInt8], path: String, environment: [String: String], onlineCPUs: Int = onlineCPUCount
    ) -> (config: TrainingConfig?, overrides: [ConfigOverride], problems: [String]) {
        let document: YAMLDocument
        do { document = try YAMLParser.parse(bytes) } catch {
            return (nil, [], ["\(path):\(error.mark): \(error.message)"])
        }
        let log = DiagnosticLog()
        document.problems.forEach { log.error($0.message, at: $0.mark) }
        let reader = YAMLReader(log: log)
        var config = TrainingConfig(baseModel: "", metadataPath: "", outputDir: "", trainDataDir: "", threads: onlineCPUs)
        config.configPath = path
        // Keys given, even with a bad value, or standing behind a misspelt key, so they are not also reported missing.
        var attempted: Set<Key> = []
        if let root = document.root, root.scalar?.isNull != true {
            for (key, node) in settings(in: root, reader: reader, attempted: &attempted)
            where config.assign(key, from: node, reader: reader) {
                config.sources[key] = .file(node.mark)
            }
        } else {
            attempted.formUnion(Key.required)
            log.error("the file is empty; expected keys such as base_model, metadata_path and output_dir", at: .start)
        }
        var problems = log.sorted.map { "\(path):\($0.line):\($0.column): \($0.message)" }
        let overrides = config.applyOverrides(environment, attempted: &attempted, problems: &problems)
        for key in Key.required where config.sources[key] == nil && !attempted.contains(key) {
            problems.append("\(path): missing required key \"\(key.rawValue)\" (or set \(key.variable))")
        }
        config.resolvePaths()
        return (config, overrides, problems)
    }

    /// The key-value pairs of the flat and nested forms in written order, each key once; a key given
    /// twice is reported at its second place, naming the first.
    private static func settings(in root: YAMLNode, reader: YAMLReader, attempted: inout Set<Key>) -> [(Key, YAMLNode)] {
        let names = Key.allCases.map(\.rawValue)
        guard reader.mapping(root, what: "the training config", keys: names + sections) != nil,
              let pairs = root.mapping else {
            attempted.formUnion(Key.required)
            return []
        }
        var firstMarks: [Key: Mark] = [:]
        var settings: [(Key, YAMLNode)] = []
        func add(_ pair: YAMLPair) {
            guard let name = pair.key.scalar?.value else { return }
            guard let key = Key(rawValue: name) else {
                if let suggestion = Suggestion.closest(to: name, in: names) { attempted.insert(Key(rawValue: suggestion)!) }
                return
            }
            attempted.insert(key)
            if let first = firstMarks[key] {
                reader.log.error("\(name) is given twice; first at line \(first.line), column \(first.column)",
                                 at: pair.key.mark)
                return
            }
            firstMarks[key] = pair.key.mark
            settings.append((key, pair.value))
        }
        for pair in firstOfEachKey(pairs) {
            guard let name = pair.key.scalar?.value, sections.contains(name) else {
                add(pair)
                continue
            }
            guard reader.mapping(pair.value, what: name, keys: names) != nil, let inner = pair.value.mapping else { continue }
            firstOfEachKey(inner).forEach(add)
        }
        return settings
    }

    /// The pairs without repeats of a key in the same mapping, which the parser reports already.
    private static func firstOfEachKey(_ pairs: [YAMLPair]) -> [YAMLPair] {
        var seen: Set<String> = []
        return pairs.filter { pair in pair.key.scalar.map { seen.insert($0.value).inserted } ?? true }
    }

    /// Sets every key whose `LORA_<KEY>` variable is in `environment`, parsed as a YAML plain scalar
    /// (a comma-separated string for `target_modules`); returns what changed.
    private mutating func applyOverrides(
        _ environment: [String: String], attempted: inout Set<Key>, problems: inout [String]
    ) -> [ConfigOverride] {
        var overrides: [ConfigOverride] = []
        for key in Key.allCases {
            guard let value = environment[key.variable] else { continue }
            attempted.insert(key)
            let log = DiagnosticLog()
            let node = YAMLNode(.scalar(YAMLScalar(value)), mark: .start, endMark: Mark(line: 1, column: 1 + value.count))
            let old = text(of: key)
            if assign(key, from: node, reader: YAMLReader(log: log)) {
                sources[key] = .environment(variable: key.variable)
                overrides.append(ConfigOverride(variable: key.variable, key: key.rawValue, oldValue: old, newValue: text(of: key)))
            } else {
                problems += log.diagnostics.map { "\(key.variable) (environment): \($0.message)" }
            }
        }
        // A misspelt variable would silently do nothing; other LORA_ variables may belong to other tools.
        let variables = Key.allCases.map(\.variable)
        for name in environment.keys.sorted() where name.hasPrefix("LORA_") && !variables.contains(name) {
            if let suggestion = Suggestion.closest(to: name, in: variables) {
                problems.append("\(name) (environment): not a training config variable; did you mean \(suggestion)?")
            }
        }
        return overrides
    }

    /// Resolves relative paths: `metadata_path` against `train_data_dir`, the others against the
    /// config file's directory, which is also `train_data_dir`'s default.
    private mutating func resolvePaths() {
        let directory = Self.directory(of: configPath)
        trainDataDir = trainDataDir.isEmpty ? directory : Self.resolve(trainDataDir, against: directory)
        metadataPath = Self.resolve(metadataPath, against: trainDataDir)
        baseModel = Self.resolve(baseModel, against: directory)
        outputDir = Self.resolve(outputDir, against: directory)
    }

    /// `path` when absolute or empty, else `path` under `directory`.
    static func resolve(_ path: String, against directory: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/"), directory != "." else { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    /// The directory part of `path`: `.` for a bare file name.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
