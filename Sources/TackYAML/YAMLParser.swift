import CYAML

/// Reads YAML text with libyaml into a `YAMLDocument`, enforcing `YAMLLimits`.
public enum YAMLParser {
    /// Parses one YAML document; a syntax error or a broken limit is thrown with its place.
    public static func parse(_ bytes: [UInt8], limits: YAMLLimits = .default) throws(YAMLProblem) -> YAMLDocument {
        guard bytes.count <= limits.maxBytes else {
            throw YAMLProblem(
                "the file is \(bytes.count) bytes; at most \(limits.maxBytes) bytes are accepted", at: .start)
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLProblem("the YAML parser could not be initialised (out of memory)", at: .start)
        }
        defer { yaml_parser_delete(&parser) }

        return try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLProblem) -> YAMLDocument in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = TreeBuilder(limits: limits)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw syntaxProblem(parser, bytes: buffer)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.consume(event)
            }
            return YAMLDocument(root: builder.root, problems: builder.problems)
        }
    }

    /// Parses UTF-8 text.
    public static func parse(_ text: String, limits: YAMLLimits = .default) throws(YAMLProblem) -> YAMLDocument {
        try parse(Array(text.utf8), limits: limits)
    }

    private static func syntaxProblem(_ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>) -> YAMLProblem {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        if parser.error == YAML_READER_ERROR {
            return YAMLProblem(
                "the file is not valid UTF-8 text (\(problem))",
                at: mark(ofByteOffset: parser.problem_offset, in: bytes))
        }
        var message = "invalid YAML: \(problem)"
        if let context = parser.context.map({ String(cString: $0) }) {
            let start = Mark(libyaml: parser.context_mark)
            message += " (\(context) that starts at line \(start.line), column \(start.column))"
        }
        return YAMLProblem(message, at: Mark(libyaml: parser.problem_mark))
    }

    private static func mark(ofByteOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Mark {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Mark(line: line, column: column)
    }
}

extension Mark {
    /// A mark from libyaml's 0-based one.
    init(libyaml mark: yaml_mark_t) {
        self.init(line: mark.line + 1, column: mark.column + 1)
    }
}
