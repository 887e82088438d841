// The cosine scan's kernels agree: the one this CPU picked (AVX2 with fused multiply-add where
// available) and the portable one give the same scaled dot products of Float queries with int8
// rows, to rounding, for dimensions that are and are not multiples of the kernels' block sizes.

import CSearchKernels
import Testing
@testable import ToolSearch

@Suite struct CosineKernelTests {
    /// A deterministic generator: the same rows every run.
    struct Lcg {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
    }

    @Test(arguments: [1, 7, 8, 31, 32, 33, 256, 300])
    func theChosenKernelAgreesWithThePortableOneAndWithAPlainLoop(dimension: Int) {
        var random = Lcg(state: UInt64(dimension))
        let count = 37
        let query = (0..<dimension).map { _ in random.next() }
        let rows = (0..<(count * dimension)).map { _ in Int8(clamping: Int(random.next() * 127)) }
        let scales = (0..<count).map { row in row == 3 ? 0 : abs(random.next()) / 127 + 0.001 }
        var chosen = [Float](repeating: .nan, count: count)
        var portable = [Float](repeating: .nan, count: count)
        mcp_gateway_dot_rows(query, rows, scales, count, dimension, &chosen)
        mcp_gateway_dot_rows_portable(query, rows, scales, count, dimension, &portable)
        #expect(chosen[3] == 0 && portable[3] == 0)
        for row in 0..<count {
            var plain: Double = 0
            for index in 0..<dimension {
                plain += Double(query[index]) * Double(rows[row * dimension + index]) * Double(scales[row])
            }
            #expect(abs(Double(chosen[row]) - plain) < 1e-4 * Double(dimension))
            #expect(abs(Double(portable[row]) - plain) < 1e-4 * Double(dimension))
        }
    }

    @Test func theKernelNameSaysWhichRuns() {
        #expect(["avx2+fma", "portable"].contains(SearchIndex.cosineKernel))
        SearchIndex.usePortableCosineKernel(true)
        #expect(SearchIndex.cosineKernel == "portable")
        SearchIndex.usePortableCosineKernel(false)
    }
}
