import LoRA

/// The version `lora-train serve` reports in `lora_build_info` and `/healthz`.
public enum ServiceVersion {
    /// The trainer service's version, set by the build (`LORA_TRAIN_VERSION`) or "dev".
    public static let current = "dev"
}
