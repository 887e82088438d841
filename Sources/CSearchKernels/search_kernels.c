// The cosine scan of hybrid search, in C because Swift cannot compile one function for a CPU
// feature the build's baseline lacks. The rows stay int8 (a quarter of the memory of Float rows:
// 2.6 MB at 10,000 tools, so the scan reads a quarter of the bytes) and are widened to Float in
// registers. On x86-64 with AVX2 and FMA, eight lanes are widened and multiply-added in three
// instructions, with four accumulators to hide the latency; the baseline (SSE2) cannot widen
// int8 cheaply, which is why Swift's SIMD version of this was twice as slow as Float rows. The
// kernel is chosen once, at first use, from what the CPU reports, so one binary runs anywhere.
// Measured at 10,000 tools (BENCHMARKS.md, issue 19): the scan was most of a hybrid search.
#include "search_kernels.h"

typedef float float8 __attribute__((ext_vector_type(8)));
typedef int8_t char8 __attribute__((ext_vector_type(8)));

// Eight lanes through clang's vector extensions: SSE2 on x86-64 without AVX2, NEON on arm64.
static float dot_portable(const float *query, const int8_t *row, size_t n) {
    float8 lanes = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        float8 q;
        char8 c;
        __builtin_memcpy(&q, query + i, sizeof q);
        __builtin_memcpy(&c, row + i, sizeof c);
        lanes += q * __builtin_convertvector(c, float8);
    }
    float sum = ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5])) + ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]));
    for (; i < n; i++) sum += query[i] * (float)row[i];
    return sum;
}

void mcp_gateway_dot_rows_portable(const float *query, const int8_t *rows, const float *scales, size_t count,
                                   size_t dimension, float *out) {
    for (size_t r = 0; r < count; r++) out[r] = scales[r] * dot_portable(query, rows + r * dimension, dimension);
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static inline __m256 widen8(const int8_t *p) {
    __m128i bytes = _mm_loadl_epi64((const __m128i *)p);
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
}

__attribute__((target("avx2,fma")))
static float horizontal_sum(__m256 v) {
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_shuffle_ps(sum, sum, 1));
    return _mm_cvtss_f32(sum);
}

__attribute__((target("avx2,fma")))
static void dot_rows_avx2(const float *query, const int8_t *rows, const float *scales, size_t count,
                          size_t dimension, float *out) {
    for (size_t r = 0; r < count; r++) {
        const int8_t *row = rows + r * dimension;
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
        __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
        size_t i = 0;
        for (; i + 32 <= dimension; i += 32) {
            s0 = _mm256_fmadd_ps(_mm256_loadu_ps(query + i), widen8(row + i), s0);
            s1 = _mm256_fmadd_ps(_mm256_loadu_ps(query + i + 8), widen8(row + i + 8), s1);
            s2 = _mm256_fmadd_ps(_mm256_loadu_ps(query + i + 16), widen8(row + i + 16), s2);
            s3 = _mm256_fmadd_ps(_mm256_loadu_ps(query + i + 24), widen8(row + i + 24), s3);
        }
        for (; i + 8 <= dimension; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(query + i), widen8(row + i), s0);
        float sum = horizontal_sum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
        for (; i < dimension; i++) sum += query[i] * (float)row[i];
        out[r] = scales[r] * sum;
    }
}

static int has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

typedef void (*dot_rows_fn)(const float *, const int8_t *, const float *, size_t, size_t, float *);

// Resolved on first use; two first callers racing store the same pointer.
static dot_rows_fn resolve(void) {
    static dot_rows_fn chosen;
    dot_rows_fn fn = __atomic_load_n(&chosen, __ATOMIC_ACQUIRE);
    if (fn) return fn;
#if defined(__x86_64__)
    fn = has_avx2_fma() ? dot_rows_avx2 : mcp_gateway_dot_rows_portable;
#else
    fn = mcp_gateway_dot_rows_portable;
#endif
    __atomic_store_n(&chosen, fn, __ATOMIC_RELEASE);
    return fn;
}

void mcp_gateway_dot_rows(const float *query, const int8_t *rows, const float *scales, size_t count,
                          size_t dimension, float *out) {
    resolve()(query, rows, scales, count, dimension, out);
}

const char *mcp_gateway_dot_rows_kernel(void) {
#if defined(__x86_64__)
    return resolve() == dot_rows_avx2 ? "avx2+fma" : "portable";
#else
    return "portable";
#endif
}
