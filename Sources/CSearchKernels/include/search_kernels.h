// Dot products of one query vector with every row of a row-major int8 matrix, each row scaled:
// the cosine scan of hybrid search (ToolSearch's ToolVectors). Picks the fastest kernel this CPU
// runs at first use.
#ifndef SEARCH_KERNELS_H
#define SEARCH_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// out[r] = scales[r] * dot(query, rows + r * dimension) for r in 0..<count.
void mcp_gateway_dot_rows(const float *query, const int8_t *rows, const float *scales, size_t count,
                          size_t dimension, float *out);

/// The same with the portable kernel whatever the CPU offers (benchmarks compare the two).
void mcp_gateway_dot_rows_portable(const float *query, const int8_t *rows, const float *scales, size_t count,
                                   size_t dimension, float *out);

/// Which kernel mcp_gateway_dot_rows uses: "avx2+fma" or "portable".
const char *mcp_gateway_dot_rows_kernel(void);

#endif
