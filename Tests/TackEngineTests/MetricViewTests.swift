import Foundation
import TackCore
@testable import TackEngine
import Testing

@Suite("metric views")
struct MetricViewTests {
    @Test("each condition becomes a series of timed points with the stable value beside the new version's, the monitor's rounds first")
    func series() {
        let monitor = (1...3).map { StoreFixtures.round(7, "aws", "monitor.0", $0, [StoreFixtures.errorRate(Double($0) / 100)]) }
        let step = StoreFixtures.round(7, "aws", "step.2.0", 1, [StoreFixtures.errorRate(0.5)])
        let views = MetricView.series([monitor[2], step, monitor[0], monitor[1]], unit: { $0 == "errorRate" ? .ratio : nil })
        #expect(views.count == 1)
        let view = views[0]
        #expect(view.condition == "errorRate > 5%" && view.unit == "ratio" && view.limit == 0.05 && view.phase == "successful")
        #expect(view.points == monitor.map { MetricPoint(time: $0.time, value: $0.measurements[0].value, stable: 0.001) })
    }

    @Test("without monitor rounds the analyses' rounds are used; a metric the plan does not know is a plain number")
    func analysesOnly() {
        let rounds = (1...2).map { StoreFixtures.round(7, "aws", "step.2.0", $0, [StoreFixtures.errorRate(nil)]) }
        let view = MetricView.series(rounds)[0]
        #expect(view.unit == "number")
        #expect(view.points.map(\.value) == [nil, nil] && view.points.map(\.time) == rounds.map(\.time))
    }

    @Test("a view keeps the last historyLength points")
    func history() {
        let count = MetricView.historyLength + 5
        let rounds = (1...count).map { StoreFixtures.round(7, "aws", "monitor.0", $0, [StoreFixtures.errorRate(Double($0))]) }
        let points = MetricView.series(rounds)[0].points
        #expect(points.count == MetricView.historyLength)
        #expect(points.first?.value == 6 && points.last?.value == Double(count))
    }
}
