// The frozen layers' matrix products, `c = a · B` with `B` read in panels of 32 columns, each row
// of a panel 32 contiguous floats: a frozen weight `W [out, in]` is laid out so once, when the
// model loads, as `Wᵀ` for the forward product `x · Wᵀ` and as `W` for the input gradient
// `dy · W`. OpenBLAS copies both operands into panels on every call; with `B` frozen that copy is
// waste, and so is the extra pass OpenBLAS makes over `c` to apply beta before it starts. Here
// each 14 × 32 tile of `c` starts from the bias (or from `c`, to accumulate) in registers: 28
// AVX-512 accumulators, one broadcast of `a` and two loads of `B` per step of `k`.
//
// AVX-512 only (x86-64-v4); `lora_panel_gemm_available` says whether this CPU has it, and the
// trainer uses OpenBLAS where it has not.
#include "CLoRA.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX512 __attribute__((target("avx512f")))
#else
#define AVX512
#endif

/// Columns per panel: two 16-float vectors.
#define PANEL 32
/// Rows of `c` per tile: 28 accumulators, two vectors of `B` and one broadcast fill 31 of the 32
/// vector registers.
#define TILE_ROWS 14
/// Steps of `k` per pass over `c`: a panel's 384 rows (48 KiB) stay in L1 and L2 while every
/// tile of rows goes by; measured best of 128, 192, 256 and 384 on Zen 4.
#define DEPTH 384

int lora_panel_gemm_available(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

void lora_pack_panels(const float *b, long ldb, int transposed, long k, long n, float *packed) {
    for (long panel = 0; panel < n / PANEL; panel++) {
        float *out = packed + panel * k * PANEL;
        for (long row = 0; row < k; row++) {
            for (long column = 0; column < PANEL; column++) {
                long j = panel * PANEL + column;
                out[row * PANEL + column] = transposed ? b[j * ldb + row] : b[row * ldb + j];
            }
        }
    }
}

#if defined(__x86_64__)
/// One tile of `rows` (1…14) rows and 32 columns of `c` over `depth` steps of `k`. Inlined with a
/// constant `rows` and its loops over rows unrolled (whatever the optimisation level thinks of
/// their size), the accumulators live in registers.
static inline __attribute__((always_inline)) AVX512 void tile(
    int rows, long depth, const float *a, long lda, const float *b, long ldb, const float *bias, int load_c, float *c,
    long ldc) {
    __m512 sum[TILE_ROWS][2];
#pragma unroll
    for (int r = 0; r < rows; r++) {
        if (load_c) {
            sum[r][0] = _mm512_loadu_ps(c + r * ldc);
            sum[r][1] = _mm512_loadu_ps(c + r * ldc + 16);
        } else if (bias) {
            sum[r][0] = _mm512_loadu_ps(bias);
            sum[r][1] = _mm512_loadu_ps(bias + 16);
        } else {
            sum[r][0] = _mm512_setzero_ps();
            sum[r][1] = _mm512_setzero_ps();
        }
    }
    for (long step = 0; step < depth; step++) {
        __m512 left = _mm512_loadu_ps(b + step * ldb), right = _mm512_loadu_ps(b + step * ldb + 16);
#pragma unroll
        for (int r = 0; r < rows; r++) {
            __m512 x = _mm512_set1_ps(a[r * lda + step]);
            sum[r][0] = _mm512_fmadd_ps(x, left, sum[r][0]);
            sum[r][1] = _mm512_fmadd_ps(x, right, sum[r][1]);
        }
    }
#pragma unroll
    for (int r = 0; r < rows; r++) {
        _mm512_storeu_ps(c + r * ldc, sum[r][0]);
        _mm512_storeu_ps(c + r * ldc + 16, sum[r][1]);
    }
}

#define TILE_CASE(rows) \
    case rows: tile(rows, depth, a, lda, b, ldb, bias, load_c, c, ldc); break;

static AVX512 void any_tile(
    int rows, long depth, const float *a, long lda, const float *b, long ldb, const float *bias, int load_c, float *c,
    long ldc) {
    switch (rows) {
        TILE_CASE(1) TILE_CASE(2) TILE_CASE(3) TILE_CASE(4) TILE_CASE(5) TILE_CASE(6) TILE_CASE(7)
        TILE_CASE(8) TILE_CASE(9) TILE_CASE(10) TILE_CASE(11) TILE_CASE(12) TILE_CASE(13) TILE_CASE(14)
    }
}
#endif

AVX512 void lora_panel_gemm(long m, long n, long k, const float *a, long lda, const float *b, long ldb,
                            long panel_stride, const float *bias, int accumulate, float *c, long ldc) {
#if defined(__x86_64__)
    for (long start = 0; start < k; start += DEPTH) {
        long depth = k - start < DEPTH ? k - start : DEPTH;
        int load_c = accumulate || start > 0;
        for (long panel = 0; panel < n / PANEL; panel++) {
            const float *panel_b = b + panel * panel_stride + start * ldb;
            const float *panel_bias = bias ? bias + panel * PANEL : 0;
            for (long row = 0; row < m; row += TILE_ROWS) {
                int rows = m - row < TILE_ROWS ? (int)(m - row) : TILE_ROWS;
                any_tile(
                    rows, depth, a + row * lda + start, lda, panel_b, ldb, panel_bias, load_c, c + row * ldc + panel * PANEL,
                    ldc);
            }
        }
    }
#else
    (void)m; (void)n; (void)k; (void)a; (void)lda; (void)b; (void)ldb; (void)panel_stride; (void)bias; (void)accumulate; (void)c; (void)ldc;
    __builtin_trap();
#endif
}
