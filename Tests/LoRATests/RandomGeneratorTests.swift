import Foundation
import Testing
@testable import LoRA

/// Expected outputs come from a direct Python transcription of the reference xoshiro256** and
/// SplitMix64 C code (xoshiro.di.unimi.it); SplitMix64(0)'s first output 0xe220a8397b1dcdaf is well known.
@Suite("random generator")
struct RandomGeneratorTests {
    @Test("seeding by SplitMix64 and the first outputs match the reference for seeds 0 and 42")
    func matchesReference() {
        var zero = RandomGenerator(seed: 0)
        #expect(zero.state == .init(0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f, 0xf88bb8a8724c81ec))
        #expect((0..<5).map { _ in zero.next() }
            == [0x99ec5f36cb75f2b4, 0xbf6e1f784956452a, 0x1a5f849d4933e6e0, 0x6aa594f1262d2d2c, 0xbba5ad4a1f842e59])
        var fortyTwo = RandomGenerator(seed: 42)
        #expect((0..<5).map { _ in fortyTwo.next() }
            == [0x15780b2e0c2ec716, 0x6104d9866d113a7e, 0xae17533239e499a1, 0xecb8ad4703b360a1, 0xfde6dc7fe2ec5e64])
    }

    @Test("floats come from the top 24 bits and lie in [0, 1)")
    func floats() {
        var generator = RandomGenerator(seed: 42)
        #expect((0..<3).map { _ in generator.nextFloat() } == [0.08386296033859253, 0.37898021936416626, 0.6800433993339539])
        var wide = RandomGenerator(seed: 1)
        for _ in 0..<10_000 {
            let value = wide.uniform(-0.5, 0.25)
            #expect(value >= -0.5 && value < 0.25)
        }
    }

    @Test("shuffling is Fisher–Yates with Lemire's bounded integers, the same on every platform")
    func shuffleMatchesReference() {
        var generator = RandomGenerator(seed: 7)
        #expect(generator.permutation(of: 10) == [1, 8, 3, 0, 4, 5, 9, 6, 2, 7])
        var again = RandomGenerator(seed: 7)
        var letters = Array("abcdefghij")
        again.shuffle(&letters)
        #expect(letters == [1, 8, 3, 0, 4, 5, 9, 6, 2, 7].map { Array("abcdefghij")[$0] })
    }

    @Test("a generator restored from its JSON-saved state continues the same stream")
    func saveAndRestore() throws {
        var generator = RandomGenerator(seed: 123)
        for _ in 0..<17 { _ = generator.next() }
        let data = try JSONEncoder().encode(generator.state)
        var restored = RandomGenerator(state: try JSONDecoder().decode(RandomGenerator.State.self, from: data))
        #expect((0..<100).map { _ in restored.next() } == (0..<100).map { _ in generator.next() })
        #expect(String(decoding: try JSONEncoder().encode(RandomGenerator.State(1, 2, 3, .max)), as: UTF8.self)
            == #"["0000000000000001","0000000000000002","0000000000000003","ffffffffffffffff"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RandomGenerator.State.self, from: Data(#"["1","2"]"#.utf8)) }
    }

    @Test("LoRA initialization draws A from ±1/√in per site in order and leaves B zero")
    func loraInitialization() {
        let sites = [TargetSite(layer: 0, module: .query), TargetSite(layer: 1, module: .output)]
        var rng = RandomGenerator(seed: 5)
        let parameters = LoRAInitialization.parameters(sites: sites, rank: 4, hiddenSize: 16, intermediateSize: 64, rng: &rng)
        #expect(parameters.map(\.name) == [sites[0].parameterName(.a), sites[0].parameterName(.b),
                                           sites[1].parameterName(.a), sites[1].parameterName(.b)])
        #expect(parameters.map(\.shape) == [[4, 16], [16, 4], [4, 64], [16, 4]])
        #expect(parameters[0].value.allSatisfy { abs($0) <= 0.25 } && parameters[2].value.allSatisfy { abs($0) <= 0.125 })
        #expect(parameters[1].value.allSatisfy { $0 == 0 } && parameters[3].value.allSatisfy { $0 == 0 })
        var replay = RandomGenerator(seed: 5)
        #expect(parameters[0].value[0] == replay.uniform(-0.25, 0.25))
        #expect(parameters[2].value.count == 256)
    }
}
