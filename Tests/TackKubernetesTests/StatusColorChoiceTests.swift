import TackCore
import Testing

@testable import TackKubernetes

@Suite("blue-green color choice")
struct StatusColorChoiceTests {
    @Test(
        "a track keeps its color; a new preview goes beside the active color; a first active is blue",
        arguments: [
            (Track.active, [BlueGreenColor: Track](), BlueGreenColor?.some(.blue)),
            (.preview, [:], .blue),
            (.preview, [.blue: .active], .green),
            (.preview, [.green: .active], .blue),
            (.preview, [.blue: .active, .green: .preview], .green),
            (.active, [.blue: .active, .green: .preview], .blue),
            (.active, [.green: .preview], .blue),
            (.active, [.blue: .preview], .green),
            (.preview, [.blue: .preview, .green: .active], .blue),
            (.preview, [.blue: .active, .green: .active], nil),
        ])
    func choice(_ track: Track, _ roles: [BlueGreenColor: Track], _ expected: BlueGreenColor?) {
        #expect(BlueGreenColor.choose(for: track, roles: roles) == expected)
    }

    @Test("the choice reads the roles of existing Deployments")
    func fromDeployments() throws {
        let blue = try #require(ObservedDeployment(try ObjectFixtures.load("deployment-blue-active.json")))
        #expect(BlueGreenColor.choose(for: .preview, deployments: [blue]) == .green)
        #expect(BlueGreenColor.choose(for: .active, deployments: [blue]) == .blue)
        let stable = try #require(ObservedDeployment(try ObjectFixtures.load("deployment-rolled-out.json")))
        #expect(BlueGreenColor.choose(for: .preview, deployments: [stable]) == .blue)
    }
}
