/// Redraws a block of lines in place with ANSI escapes: the cursor goes back up over the last
/// frame, each line is rewritten and cleared to its end, and what the last frame had below the
/// new one is cleared. No alternate screen, so the last frame stays in the scrollback.
struct TerminalCanvas {
    /// Hides the cursor while frames are drawn.
    static let hideCursor = "\u{1B}[?25l"
    /// Shows the cursor again.
    static let showCursor = "\u{1B}[?25h"

    /// Lines of the frame on screen.
    private var height = 0

    /// A canvas with nothing drawn yet.
    init() {}

    /// The text that replaces the frame on screen with `lines`; the cursor ends below them.
    mutating func frame(_ lines: [String]) -> String {
        var out = height > 0 ? "\r\u{1B}[\(height)A" : "\r"
        for line in lines { out += line + "\u{1B}[K\n" }
        out += "\u{1B}[J"
        height = lines.count
        return out
    }
}
