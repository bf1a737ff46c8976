import Foundation
import Testing

/// The exact figures are those of OpenBLAS throughout (`LORA_TRAIN_PACKED_GEMM=0`), the same on
/// every CPU; the panels the trainer adds where it has AVX-512 are checked on their own.
@Suite("lora-train recommend")
struct RecommendCommandTests {
    static let openBLAS = ["LORA_TRAIN_PACKED_GEMM": "0"]

    @Test("2GiB for all-MiniLM-L6-v2 prints YAML keys to paste and a comment with the peak and budget")
    func text() throws {
        let run = try LoRATrainRun(["recommend", "--model", LoRATrainRun.miniLM, "--memory", "2GiB"], environment: Self.openBLAS)
        #expect(run.status == 0)
        #expect(run.stdout == """
            batch_size: 16
            max_seq_length: 128
            lora_rank: 8
            # estimated peak 1.04 GiB of the 2 GiB budget (52%), for target_modules [query, value] and lora_dropout 0.1

            """)
    }

    @Test("-o json adds estimated_peak_bytes and budget_bytes, and --threads is echoed")
    func json() throws {
        let run = try LoRATrainRun(
            ["recommend", "--model", LoRATrainRun.miniLM, "--memory", "512MiB", "--threads", "4", "-o", "json"],
            environment: Self.openBLAS)
        let json = try run.json()
        #expect(json["batch_size"] as? Int == 4)
        #expect(json["max_seq_length"] as? Int == 128)
        #expect(json["lora_rank"] as? Int == 8)
        #expect(json["threads"] as? Int == 4)
        #expect(json["budget_bytes"] as? Int == 536_870_912)
        let peak = try #require(json["estimated_peak_bytes"] as? Int)
        #expect(peak <= 536_870_912 * 4 / 5)
    }

    @Test("with AVX-512 the estimate adds the forward panels: 4·H² + 2·H·I floats a layer, 42,467,328 bytes for all-MiniLM-L6-v2")
    func panels() throws {
        func peak(_ environment: [String: String]) throws -> Int? {
            let run = try LoRATrainRun(
                ["recommend", "--model", LoRATrainRun.miniLM, "--memory", "2GiB", "-o", "json"], environment: environment)
            return try run.json()["estimated_peak_bytes"] as? Int
        }
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let hasAVX512 = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").contains("avx512f") ?? false
        let (withPanels, without) = (try #require(try peak([:])), try #require(try peak(Self.openBLAS)))
        #expect(withPanels - without == (hasAVX512 ? 6 * 4 * (4 * 384 * 384 + 2 * 384 * 1_536) : 0))
    }

    @Test("-o yaml prints the same keys as YAML")
    func yaml() throws {
        let run = try LoRATrainRun(["recommend", "--model", LoRATrainRun.miniLM, "--memory", "1.5GB", "-o", "yaml"])
        #expect(run.status == 0)
        let keys = run.stdout.split(separator: "\n").map { $0.split(separator: ":")[0] }
        #expect(keys == ["batch_size", "max_seq_length", "lora_rank", "estimated_peak_bytes", "budget_bytes"])
        #expect(run.stdout.contains("budget_bytes: 1500000000\n"))
    }

    @Test("a budget nothing fits in exits 1 with the smallest setting's need")
    func tooSmall() throws {
        let run = try LoRATrainRun(["recommend", "--model", LoRATrainRun.miniLM, "--memory", "50MiB"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("error: 50 MiB is not enough"))
        #expect(run.stderr.contains("batch_size 2, max_seq_length 32, lora_rank 8"))
    }

    @Test("a memory value that is not a size is a usage error naming the accepted forms")
    func badMemory() throws {
        for value in ["2gigs", "0", "-1GiB", "GiB"] {
            let run = try LoRATrainRun(["recommend", "--model", LoRATrainRun.miniLM, "--memory=\(value)"])
            #expect(run.status == 64)
            #expect(run.stderr.contains("512MiB, 2GiB, 1.5GB"))
        }
    }

    @Test("plain bytes are accepted")
    func plainBytes() throws {
        let run = try LoRATrainRun(["recommend", "--model", LoRATrainRun.miniLM, "--memory", "300000000", "-o", "json"])
        #expect(run.status == 0)
        #expect(try run.json()["budget_bytes"] as? Int == 300_000_000)
    }
}
