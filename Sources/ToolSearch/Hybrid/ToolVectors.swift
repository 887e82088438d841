// One unit-length embedding per tool and the cosine of a query against all of them. Vectors are
// quantised to int8 with a per-tool scale (260 bytes a tool, what ToolVectorCache keeps and saves),
// and scanned as the Float rows those give (10 MB at 10,000 tools). The scan is brute force:
// ~2.6 M multiply-adds at 10,000 tools, so an approximate index would buy little here.

struct ToolVectors: Sendable {
    let dimension: Int
    let count: Int
    /// Per tool, `dimension` floats: its int8 vector times its scale (zeros without a vector).
    let rows: [Float]

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
        var rows = [Float](repeating: 0, count: values.count)
        for row in 0..<texts.count {
            let scale = scales[row]
            guard scale != 0 else { continue }
            for index in row * dimension..<(row + 1) * dimension { rows[index] = Float(values[index]) * scale }
        }
        self.rows = rows
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
        query.withUnsafeBufferPointer { query in
            rows.withUnsafeBufferPointer { rows in
                guard let query = query.baseAddress, let rows = rows.baseAddress else { return }
                for row in 0..<count {
                    similarities[row] = Self.dot(query, rows + row * dimension, count: dimension)
                }
            }
        }
    }

    /// Eight Float lanes at a time with a plain multiply and add (not `addProduct`: fused
    /// multiply-add is not in the baseline x86-64 target). Int8 rows made a whole search twice as
    /// slow, whether with Swift's SIMD16<Int8> widening (not inlined) or a plain loop (search-tune
    /// at 10,000 tools, release: hybrid p50 1.19 ms against 0.57; docs/search.md).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let left = UnsafeRawPointer(a)
        let right = UnsafeRawPointer(b)
        var lanes = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            lanes += left.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                * right.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            index += 8
        }
        var sum = lanes.sum()
        while index < count {
            sum += a[index] * b[index]
            index += 1
        }
        return sum
    }
}
