#ifndef TACK_CLORA_H
#define TACK_CLORA_H

// The trainer's C: glibc calls Swift does not import (mallopt, gettid), the frozen layers' matrix
// products on AVX-512, and the element-wise kernels, compiled for AVX-512, AVX2 and baseline x86-64
// and chosen at load time by the CPU.

// MARK: - System calls (SystemCalls.c)

/// Keeps freed blocks up to 32 MiB in the heap for reuse instead of returning them to the kernel,
/// so that the activations of one pass reuse the pages of the last one without page faults; with
/// `one_heap`, in one heap (arena) shared by all threads. Returns 0 when glibc refused a setting.
int lora_retain_freed_memory(int one_heap);

/// Names the calling thread (the kernel keeps the first 15 bytes), as `top -H` and
/// `/proc/self/task/*/comm` show it. Returns 0 on success.
int lora_name_thread(const char *name);

/// The calling thread's kernel id (its entry in `/proc/self/task`).
int lora_thread_id(void);

/// The calling thread's nice value (-20...19).
int lora_thread_niceness(void);

/// Sets the calling thread's nice value (Linux schedules threads one by one); returns 0 on success.
/// Raising it needs no privilege; lowering it below where it was may.
int lora_set_thread_niceness(int niceness);

/// Moves the calling thread to SCHED_IDLE: it runs only when no other thread wants the core.
/// Returns 0 on success.
int lora_set_thread_idle_policy(void);

// MARK: - Products with a frozen weight (PanelGemm.c)

/// Whether this CPU runs `lora_panel_gemm` (it needs AVX-512).
int lora_panel_gemm_available(void);

/// Lays out the `k × n` matrix `B` (`n` a multiple of 32) as `n / 32` panels of `k` rows of 32
/// floats, `k · n` floats at `packed`, for `lora_panel_gemm` with `ldb` 32 and `panel_stride`
/// `32 · k`. `B[i][j]` is `b[i · ldb + j]`, or `b[j · ldb + i]` when `transposed` (`B` is then
/// `Wᵀ` for a row-major `[n, k]` weight `W`, as PyTorch stores one).
void lora_pack_panels(const float *b, long ldb, int transposed, long k, long n, float *packed);

/// `c = a · B` for the `m × k` matrix `a` and the `k × n` matrix `B` (`n` a multiple of 32) read as
/// panels of 32 columns: row `i` of panel `p` is the 32 floats at `b + p · panel_stride + i · ldb`
/// (a row-major `B` has `panel_stride` 32). `c` is `m × n`, rows `ldc` apart: plus `c` when
/// `accumulate`, else plus `bias` (`n` floats) on every row when it is not NULL.
void lora_panel_gemm(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                     long panel_stride, const float *bias, int accumulate, float *c, long ldc);

// MARK: - Kernels (VectorKernels.c)

/// `y[i] = x[i] · Φ(x[i])`, the exact GELU, for `count` values (`y` may be `x`).
void lora_gelu(const float *x, float *y, long count);

/// `dy[i] *= Φ(x[i]) + x[i] · φ(x[i])`, GELU's derivative at the pre-activation `x`.
void lora_gelu_backward(const float *x, float *dy, long count);

/// Softmax of each of `rows` rows of `width` (at least 1) in place.
void lora_softmax(float *x, long rows, long width);

/// Turns `dp`, the gradient of the softmax outputs `p` (`rows` rows of `width`), into the
/// gradient of the scores in place: `dp = p ⊙ (dp − Σ p ⊙ dp)` per row.
void lora_softmax_backward(const float *p, float *dp, long rows, long width);

/// LayerNorm of each of `rows` rows of `width` in place (`x = x̂ · gamma + beta`), after adding
/// `residual` (same shape) to `x` when it is not NULL; writes `x̂` to `normalized` and each row's
/// 1/σ to `inverse_deviation`.
void lora_layer_norm(float *x, const float *residual, float *normalized, float *inverse_deviation,
                     const float *gamma, const float *beta, long rows, long width, float epsilon);

/// The gradient of LayerNorm's input from its output gradient `dy`, written to `dx`, given the
/// forward pass's `normalized` rows and each row's 1/σ.
void lora_layer_norm_backward(const float *dy, const float *normalized, const float *inverse_deviation,
                              const float *gamma, float *dx, long rows, long width);

/// `e^x` for `count` values, the same function the kernels use (for tests).
void lora_exp(const float *x, float *y, long count);

/// `erf(x)` for `count` values, the same function the kernels use (for tests).
void lora_erf(const float *x, float *y, long count);

/// The instruction set the kernels run with on this CPU: "x86-64-v4" (AVX-512), "x86-64-v3"
/// (AVX2 and FMA), or "baseline".
const char *lora_kernel_level(void);

#endif
