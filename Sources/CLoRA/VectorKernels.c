// The encoder's element-wise kernels in 16-lane vectors. Each exported loop is compiled three
// times (AVX-512, AVX2 with FMA, baseline SSE2) and the loader picks one by the CPU (an ifunc),
// which Swift cannot do for a function of its own. The formulas:
// - exp: Cephes' expf (range reduction by ln 2 in two parts, degree-5 polynomial); relative error
//   under 4e-7 from -87 to 88.
// - erf: Abramowitz & Stegun 7.1.26; absolute error under 1e-6 in float.
#include "CLoRA.h"

#include <float.h>
#include <string.h>

typedef float lanes __attribute__((ext_vector_type(16)));
typedef int mask_lanes __attribute__((ext_vector_type(16)));
typedef unsigned int bit_lanes __attribute__((ext_vector_type(16)));

#define LANES 16

#if defined(__x86_64__)
#define CLONED __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONED
#endif

#define INLINE static inline __attribute__((always_inline))

// Helpers take vectors by pointer: a 16-lane vector passed by value would need AVX-512's calling
// convention even in the AVX2 and baseline copies. Inlined, they stay in registers.

/// The first `valid` values at `p` into `v`, zeros in the other lanes.
INLINE void load(lanes *v, const float *p, long valid) {
    if (__builtin_expect(valid == LANES, 1)) {
        memcpy(v, p, sizeof *v);
    } else {
        *v = 0;
        memcpy(v, p, (size_t)valid * sizeof(float));
    }
}

INLINE void store(float *p, const lanes *v, long valid) {
    if (__builtin_expect(valid == LANES, 1)) {
        memcpy(p, v, sizeof *v);
    } else {
        memcpy(p, v, (size_t)valid * sizeof(float));
    }
}

/// `keep` lanes of `a`, the others of `b` (`keep` is -1 or 0 per lane, as comparisons give).
#define SELECT(keep, a, b) ((lanes)(((bit_lanes)(a) & (bit_lanes)(keep)) | ((bit_lanes)(b) & ~(bit_lanes)(keep))))

INLINE void exp_lanes(lanes *v) {
    lanes x = __builtin_elementwise_min(__builtin_elementwise_max(*v, (lanes)-87.3f), (lanes)88.0f);
    // n = round(x / ln 2) by the 1.5 · 2^23 trick; r = x - n · ln 2 with ln 2 in two parts.
    const lanes magic = 12582912.0f;
    lanes n = (x * 1.44269504f + magic) - magic;
    lanes r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    lanes p = 1.98756915e-4f;
    p = p * r + 1.39819995e-3f;
    p = p * r + 8.33345191e-3f;
    p = p * r + 4.16657959e-2f;
    p = p * r + 1.66666655e-1f;
    p = p * r + 5.00000012e-1f;
    p = p * (r * r) + r + 1.0f;
    // 2^n from the bits: n + 127 in the exponent field (2^23 + 127 + n, shifted up by 23).
    bit_lanes biased = (bit_lanes)(n + 8388735.0f);
    *v = p * (lanes)(biased << 23);
}

INLINE void erf_lanes(lanes *v) {
    lanes x = *v;
    lanes a = __builtin_elementwise_abs(x);
    lanes t = 1.0f / (a * 0.3275911f + 1.0f);
    lanes poly = 1.061405429f;
    poly = poly * t - 1.453152027f;
    poly = poly * t + 1.421413741f;
    poly = poly * t - 0.284496736f;
    poly = poly * t + 0.254829592f;
    poly = poly * t;
    lanes e = -(a * a);
    exp_lanes(&e);
    lanes value = 1.0f - poly * e;
    *v = SELECT(x >= 0, value, -value);
}

/// Φ(x) = (1 + erf(x / √2)) / 2.
INLINE void cdf_lanes(lanes *v) {
    *v *= 0.70710678118654752f;
    erf_lanes(v);
    *v = 0.5f * (1.0f + *v);
}

INLINE float sum_lanes(const lanes *v) {
    typedef float half __attribute__((ext_vector_type(8)));
    typedef float quarter __attribute__((ext_vector_type(4)));
    half eight = v->lo + v->hi;
    quarter four = eight.lo + eight.hi;
    return four.x + four.y + four.z + four.w;
}

#define FOR_EACH_LANES(index, valid, count) \
    for (long index = 0, valid = (count) < LANES ? (count) : LANES; index < (count); \
         index += LANES, valid = (count) - index < LANES ? (count) - index : LANES)

/// `name(x, y, count)`: `y[i] = function(x[i])`, for a lane function that works in place.
#define ELEMENTWISE(name, function)                           \
    CLONED void name(const float *x, float *y, long count) { \
        FOR_EACH_LANES(i, valid, count) {                     \
            lanes v;                                          \
            load(&v, x + i, valid);                           \
            function(&v);                                     \
            store(y + i, &v, valid);                          \
        }                                                     \
    }

/// x · Φ(x) in place.
INLINE void gelu_lanes(lanes *v) {
    lanes cdf = *v;
    cdf_lanes(&cdf);
    *v *= cdf;
}

ELEMENTWISE(lora_gelu, gelu_lanes)

CLONED void lora_gelu_backward(const float *x, float *dy, long count) {
    FOR_EACH_LANES(i, valid, count) {
        lanes v, cdf, pdf, gradient;
        load(&v, x + i, valid);
        cdf = v;
        cdf_lanes(&cdf);
        pdf = -0.5f * v * v;
        exp_lanes(&pdf);
        pdf *= 0.39894228040143268f;
        load(&gradient, dy + i, valid);
        gradient *= cdf + v * pdf;
        store(dy + i, &gradient, valid);
    }
}

CLONED void lora_softmax(float *x, long rows, long width) {
    for (long row = 0; row < rows; row++) {
        float *line = x + row * width;
        lanes maxima = -FLT_MAX;
        FOR_EACH_LANES(c, valid, width) {
            lanes values = -FLT_MAX;
            memcpy(&values, line + c, (size_t)valid * sizeof(float));  // lanes past the row stay lowest
            maxima = __builtin_elementwise_max(maxima, values);
        }
        float maximum = __builtin_reduce_max(maxima);
        lanes sums = 0;
        FOR_EACH_LANES(c, valid, width) {
            lanes values;
            load(&values, line + c, valid);
            values -= maximum;
            exp_lanes(&values);
            store(line + c, &values, valid);
            for (long lane = valid; lane < LANES; lane++) values[lane] = 0;
            sums += values;
        }
        float inverse = 1 / sum_lanes(&sums);
        FOR_EACH_LANES(c, valid, width) {
            lanes values;
            load(&values, line + c, valid);
            values *= inverse;
            store(line + c, &values, valid);
        }
    }
}

CLONED void lora_softmax_backward(const float *p, float *dp, long rows, long width) {
    for (long row = 0; row < rows; row++) {
        const float *probabilities = p + row * width;
        float *gradient = dp + row * width;
        lanes dots = 0;
        FOR_EACH_LANES(c, valid, width) {
            lanes a, b;
            load(&a, probabilities + c, valid);
            load(&b, gradient + c, valid);
            dots += a * b;
        }
        float dot = sum_lanes(&dots);
        FOR_EACH_LANES(c, valid, width) {
            lanes a, b;
            load(&a, probabilities + c, valid);
            load(&b, gradient + c, valid);
            b = a * (b - dot);
            store(gradient + c, &b, valid);
        }
    }
}

CLONED void lora_layer_norm(float *x, const float *residual, float *normalized, float *inverse_deviation,
                            const float *gamma, const float *beta, long rows, long width, float epsilon) {
    for (long row = 0; row < rows; row++) {
        float *line = x + row * width;
        float *hat = normalized + row * width;
        lanes sums = 0;
        FOR_EACH_LANES(c, valid, width) {
            lanes values;
            load(&values, line + c, valid);
            if (residual) {
                lanes added;
                load(&added, residual + row * width + c, valid);
                values += added;
                store(line + c, &values, valid);
            }
            sums += values;
        }
        float mean = sum_lanes(&sums) / (float)width;
        lanes squares = 0;
        FOR_EACH_LANES(c, valid, width) {
            lanes centered, padding = 0;
            load(&centered, line + c, valid);
            centered -= mean;
            // Padding lanes load 0 and would add mean²: put them back to 0.
            for (long lane = valid; lane < LANES; lane++) centered[lane] = padding[lane];
            squares += centered * centered;
        }
        float inverse = 1 / __builtin_sqrtf(sum_lanes(&squares) / (float)width + epsilon);
        inverse_deviation[row] = inverse;
        FOR_EACH_LANES(c, valid, width) {
            lanes value, scale, shift;
            load(&value, line + c, valid);
            load(&scale, gamma + c, valid);
            load(&shift, beta + c, valid);
            value = (value - mean) * inverse;
            store(hat + c, &value, valid);
            value = value * scale + shift;
            store(line + c, &value, valid);
        }
    }
}

CLONED void lora_layer_norm_backward(const float *dy, const float *normalized, const float *inverse_deviation,
                                     const float *gamma, float *dx, long rows, long width) {
    for (long row = 0; row < rows; row++) {
        const float *gradient = dy + row * width;
        const float *hat = normalized + row * width;
        float *out = dx + row * width;
        lanes sums = 0, sums_hat = 0;
        FOR_EACH_LANES(c, valid, width) {
            lanes g, scale, h;
            load(&g, gradient + c, valid);
            load(&scale, gamma + c, valid);
            load(&h, hat + c, valid);
            g *= scale;
            sums += g;
            sums_hat += g * h;
        }
        float mean_gradient = sum_lanes(&sums) / (float)width;
        float mean_gradient_hat = sum_lanes(&sums_hat) / (float)width;
        float inverse = inverse_deviation[row];
        FOR_EACH_LANES(c, valid, width) {
            lanes g, scale, h;
            load(&g, gradient + c, valid);
            load(&scale, gamma + c, valid);
            load(&h, hat + c, valid);
            g = inverse * (g * scale - mean_gradient - h * mean_gradient_hat);
            store(out + c, &g, valid);
        }
    }
}

ELEMENTWISE(lora_exp, exp_lanes)
ELEMENTWISE(lora_erf, erf_lanes)

const char *lora_kernel_level(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512cd")) return "x86-64-v4";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2"))
        return "x86-64-v3";
#endif
    return "baseline";
}
