/// The embedded local runtime: replicas as runc containers (or plain processes), an nginx router
/// that splits traffic by weight, and an embedded Prometheus that discovers the replicas.
public enum TackLocal {}
