import Testing
@testable import LoRAService

@Suite("service version")
struct ServiceVersionTests {
    @Test("the version is never empty, since lora_build_info carries it")
    func version() { #expect(!ServiceVersion.current.isEmpty) }
}
