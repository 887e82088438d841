// One unit-length embedding per tool and the cosine of a query against all of them. Vectors are
// quantised to int8 with a per-tool scale (260 bytes a tool, what ToolVectorCache keeps and saves)
// and scanned as int8 by the C kernel of CSearchKernels (2.6 MB at 10,000 tools). The scan is brute
// force: ~2.6 M multiply-adds at 10,000 tools, so an approximate index would buy little here.

import CSearchKernels
import Synchronization

struct ToolVectors: Sendable {
    let dimension: Int
    let count: Int
    /// Per tool, `dimension` int8 values (zeros without a vector) ...
    let values: [Int8]
    /// ... and the scale that turns them into the tool's unit vector (0 without a vector).
    let scales: [Float]

    /// Embeds every text with `embedder`; a text with no known token gets no vector. A text the
    /// `cache` (of the same model) already has is not embedded again.
    init(texts: [String], embedder: StaticEmbedder, cache: ToolVectorCache? = nil) {
        let dimension = embedder.dimension
        let cache = cache.flatMap { $0.modelID == embedder.modelID && $0.dimension == dimension ? $0 : nil }
        cache?.beginBuild()
        var scales: [Float] = []
        scales.reserveCapacity(texts.count)
        var values = [Int8](repeating: 0, count: texts.count * dimension)
        var vector: [Float] = []
        for (row, text) in texts.enumerated() {
            let key = cache.map { _ in ToolVectorCache.key(for: text) }
            if let cache, let key, let cached = cache.vector(for: key) {
                scales.append(cached.scale)
                values.replaceSubrange(row * dimension..<(row + 1) * dimension, with: cached.values)
                continue
            }
            var scale: Float = 0
            if embedder.embed(text, into: &vector) {
                scale = Self.quantize(vector, into: &values, at: row * dimension)
            }
            scales.append(scale)
            if let cache, let key {
                cache.store(.init(scale: scale, values: Array(values[row * dimension..<(row + 1) * dimension])), for: key)
            }
        }
        self.dimension = dimension
        self.count = texts.count
        self.values = values
        self.scales = scales
    }

    /// Writes `vector` as int8 at `offset`; returns the scale (the largest magnitude / 127).
    static func quantize(_ vector: [Float], into values: inout [Int8], at offset: Int) -> Float {
        var largest: Float = 0
        for value in vector { largest = max(largest, abs(value)) }
        guard largest > 0 else { return 0 }
        let scale = largest / 127
        for (index, value) in vector.enumerated() {
            values[offset + index] = Int8(clamping: Int((value / scale).rounded()))
        }
        return scale
    }

    /// The cosine of the unit vector `query` with every tool's vector, into `similarities`
    /// (count elements). Tools without a vector get 0.
    func cosines(of query: [Float], into similarities: UnsafeMutableBufferPointer<Float>) {
        let dimension = self.dimension
        guard query.count == dimension else {
            for index in 0..<count { similarities[index] = 0 }
            return
        }
        let portable = Self.portableKernel.load(ordering: .relaxed)
        query.withUnsafeBufferPointer { query in
            values.withUnsafeBufferPointer { rows in
                scales.withUnsafeBufferPointer { scales in
                    guard let query = query.baseAddress, let rows = rows.baseAddress, let scales = scales.baseAddress,
                          let out = similarities.baseAddress else { return }
                    if portable {
                        mcp_gateway_dot_rows_portable(query, rows, scales, count, dimension, out)
                    } else {
                        mcp_gateway_dot_rows(query, rows, scales, count, dimension, out)
                    }
                }
            }
        }
    }

    /// Set by benchmarks to compare the portable kernel with the one this CPU picked.
    static let portableKernel = Atomic<Bool>(false)
}
