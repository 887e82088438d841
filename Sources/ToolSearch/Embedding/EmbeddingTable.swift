// The static token-embedding table (scripts/search-model/distill.py writes it): one int8 row per
// vocabulary token with a float32 scale, row = scale * int8. Kept as int8 in memory (7.9 MB for
// 30,522 x 256) and widened row by row while summing.

struct EmbeddingTable: Sendable {
    let rows: Int
    let dimension: Int
    let scales: [Float]
    let values: [Int8]

    static let magic: [UInt8] = Array("MGSE".utf8)
    static let version: UInt32 = 1

    /// Parses the MGSE v1 format: "MGSE", u32 version, u32 rows, u32 dimension (little endian),
    /// rows x f32 scale, rows x dimension int8.
    init(bytes: UnsafeRawBufferPointer) throws(SearchModelError) {
        guard bytes.count >= 16, Array(bytes[0..<4]) == Self.magic else { throw .malformed("embeddings.bin: not an MGSE table") }
        func u32(_ offset: Int) -> UInt32 {
            UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        }
        guard u32(4) == Self.version else { throw .malformed("embeddings.bin: version \(u32(4)), expected \(Self.version)") }
        let rows = Int(u32(8))
        let dimension = Int(u32(12))
        guard rows > 0, dimension > 0, dimension <= 4096, bytes.count == 16 + rows * 4 + rows * dimension else {
            throw .malformed("embeddings.bin: \(bytes.count) bytes for \(rows) x \(dimension)")
        }
        self.rows = rows
        self.dimension = dimension
        self.scales = (0..<rows).map { row in
            Float(bitPattern: u32(16 + 4 * row))
        }
        let start = 16 + rows * 4
        self.values = Array(unsafeUninitializedCapacity: rows * dimension) { buffer, count in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start...]))
            count = rows * dimension
        }
    }

    /// Adds row `row` (scaled) to `sum`, which has `dimension` elements.
    @inline(__always)
    func add(row: Int, to sum: UnsafeMutablePointer<Float>) {
        let scale = scales[row]
        guard scale != 0 else { return }
        values.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            let values = base + row * dimension
            for index in 0..<dimension {
                sum[index] += scale * Float(values[index])
            }
        }
    }
}
