import Foundation
import TackServer

/// On a terminal: the view of `WatchRenderer`, redrawn in place whenever it changes, fitted to
/// the terminal's size; the cursor is hidden meanwhile and shown again at the end or on a signal.
struct TerminalWatchDisplay: WatchDisplay {
    private var canvas = TerminalCanvas()
    private var shown: [String] = []

    /// A display that has drawn nothing yet.
    init() {}

    mutating func begin() {
        Terminal.restoreCursorOnSignals()
        Console.out(TerminalCanvas.hideCursor)
    }

    mutating func received(_ message: WatchMessage, state: WatchState, now: Date) {
        draw(state, now: now)
    }

    mutating func tick(state: WatchState, now: Date) {
        draw(state, now: now)
    }

    mutating func end(state: WatchState, now: Date) {
        draw(state, now: now)
        Console.out(TerminalCanvas.showCursor)
    }

    private mutating func draw(_ state: WatchState, now: Date) {
        guard let view = state.view else { return }
        let size = Terminal.size()
        let lines = Array(WatchRenderer.render(view: view, events: state.events, now: now, width: size.columns - 1).prefix(max(size.rows - 2, 1)))
        guard lines != shown else { return }
        Console.out(canvas.frame(lines))
        shown = lines
    }
}
