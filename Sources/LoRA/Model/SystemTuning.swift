import CLoRA

/// Keeps freed memory in the process for reuse instead of returning it to the kernel, so each
/// forward pass reuses the last one's pages rather than faulting in fresh zeroed ones.
///
/// It sets glibc's mmap and trim thresholds (32 MiB, 256 MiB); the peak RSS stays what it was.
/// Measured on the serve load benchmark: 180 → 257 embed requests/s.
///
/// With `sharedHeap`, every thread allocates from one heap (arena), so that the shards of a
/// training step, which run on whichever pool threads are free, reuse one another's freed
/// blocks: with a heap per thread, the training benchmark on a busy machine peaked at 430 MiB
/// instead of 330. A server with many threads allocating small blocks wants its heaps per thread.
public func retainFreedMemory(sharedHeap: Bool) {
    _ = lora_retain_freed_memory(sharedHeap ? 1 : 0)
}

/// Names the calling thread as `top -H` and `/proc/self/task/*/comm` show it (15 bytes at most).
///
/// Through `prctl` itself: Foundation's `Thread.current.name` set as a thread starts was lost
/// about once in twenty threads.
public func nameCurrentThread(_ name: String) {
    _ = lora_name_thread(String(decoding: name.utf8.prefix(15), as: UTF8.self))
}

/// The calling thread's kernel id, as `/proc/self/task` and `top -H` list it.
public func currentThreadID() -> Int {
    Int(lora_thread_id())
}

/// Lowers the calling thread's CPU priority to `niceness` (0...19), so that it yields the cores
/// to normal-priority threads when they have work; returns whether the kernel accepted it.
@discardableResult
public func lowerThreadPriority(to niceness: Int) -> Bool {
    let wanted = Int32(min(19, max(0, niceness)))
    return wanted <= lora_thread_niceness() || lora_set_thread_niceness(wanted) == 0
}

/// Moves the calling thread to Linux's SCHED_IDLE policy: it runs only when no other thread wants
/// the core. Returns whether the kernel accepted it (an unprivileged thread cannot leave it).
@discardableResult
public func runThreadOnlyWhenIdle() -> Bool {
    lora_set_thread_idle_policy() == 0
}

/// The instruction set of the element-wise kernels this CPU runs: "x86-64-v4" (AVX-512),
/// "x86-64-v3" (AVX2 and FMA) or "baseline".
public func kernelInstructionSet() -> String {
    String(cString: lora_kernel_level())
}

/// What multiplies by the frozen weights: "panels" (the trainer's AVX-512 kernel, `PanelGemm`) or
/// "OpenBLAS" (no AVX-512, or `LORA_TRAIN_PACKED_GEMM=0`).
public func frozenProductKernel() -> String {
    PanelGemm.isEnabled ? "panels" : "OpenBLAS"
}
