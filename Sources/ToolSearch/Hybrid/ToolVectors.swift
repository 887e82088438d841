// One unit-length embedding per tool, quantised to int8 with a per-tool scale (260 bytes a tool:
// 2.6 MB for 10,000 tools against 10 MB as Float), and the cosine of a query against all of
// them. The scan is brute force: at 10,000 tools it is ~2.6 M multiply-adds, well under a
// millisecond in a release build, so an approximate index would buy nothing here.

struct ToolVectors: Sendable {
    let dimension: Int
    let count: Int
    /// Per tool, what one int8 step is worth (0 for a tool with no vector).
    let scales: [Float]
    let values: [Int8]

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
        self.scales = scales
        self.values = values
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
        var quantized = [Int8](repeating: 0, count: dimension)
        let queryScale = Self.quantize(query, into: &quantized, at: 0)
        guard queryScale > 0 else {
            for index in 0..<count { similarities[index] = 0 }
            return
        }
        let dimension = self.dimension
        quantized.withUnsafeBufferPointer { queryValues in
            values.withUnsafeBufferPointer { all in
                scales.withUnsafeBufferPointer { scales in
                    for row in 0..<count {
                        let scale = scales[row]
                        guard scale != 0 else { similarities[row] = 0; continue }
                        let base = row * dimension
                        // Int8 x Int8 summed in Int32: 4096 x 127 x 127 cannot overflow.
                        var dot: Int32 = 0
                        for index in 0..<dimension {
                            dot &+= Int32(queryValues[index]) &* Int32(all[base + index])
                        }
                        similarities[row] = Float(dot) * scale * queryScale
                    }
                }
            }
        }
    }
}
