// Tool vectors kept across index builds and restarts: each tool's int8 vector under a 64-bit hash
// of the text it was embedded from, for one model. A rebuilt index (a backend's new tool list, a
// restart with the persisted catalog) embeds only texts it has not seen; the gateway saves the
// cache beside the catalog cache (GatewayCore's SearchVectorStore). Format MGTV v1, little endian:
// "MGTV", u32 version, u64 model id, u32 dimension, u32 count, then per entry u64 key, f32 scale,
// dimension x int8.

import Synchronization

public final class ToolVectorCache: Sendable {
    struct Vector: Sendable {
        var scale: Float
        var values: [Int8]
    }

    public let modelID: UInt64
    public let dimension: Int
    private let state: Mutex<State>

    struct State {
        var vectors: [UInt64: Vector] = [:]
        /// Keys used by the last index built, and whether it embedded anything new.
        var used: Set<UInt64> = []
        var changed = false
    }

    static let magic: [UInt8] = Array("MGTV".utf8)
    static let version: UInt32 = 1

    public init(modelID: UInt64, dimension: Int) {
        self.modelID = modelID
        self.dimension = dimension
        self.state = Mutex(State())
    }

    /// A cache read back from `bytes`; empty when they are for another model or damaged.
    public convenience init(decoding bytes: [UInt8], modelID: UInt64, dimension: Int) {
        self.init(modelID: modelID, dimension: dimension)
        let vectors = bytes.withUnsafeBytes { Self.decode($0, modelID: modelID, dimension: dimension) }
        state.withLock { $0.vectors = vectors }
    }

    /// How many vectors it holds.
    public var count: Int { state.withLock { $0.vectors.count } }

    /// Whether the last index built embedded a text the cache did not have (worth saving).
    public var hasNewVectors: Bool { state.withLock { $0.changed } }

    static func key(for text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var length: UInt64 = 0
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
            length &+= 1
        }
        // The length mixed in makes a collision need equal lengths as well.
        return hash ^ (length &* 0x9E37_79B9_7F4A_7C15)
    }

    func beginBuild() {
        state.withLock { $0.used = []; $0.changed = false }
    }

    func vector(for key: UInt64) -> Vector? {
        state.withLock { state in
            state.used.insert(key)
            return state.vectors[key]
        }
    }

    func store(_ vector: Vector, for key: UInt64) {
        state.withLock { state in
            state.vectors[key] = vector
            state.used.insert(key)
            state.changed = true
        }
    }

    /// The vectors the last index used (older ones are dropped, so the file follows the catalog).
    public func encoded() -> [UInt8] {
        state.withLock { state in
            var bytes = Self.magic
            func append<T: FixedWidthInteger>(_ value: T) {
                withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
            }
            let kept = state.vectors.filter { state.used.contains($0.key) }.sorted { $0.key < $1.key }
            append(Self.version)
            append(modelID)
            append(UInt32(dimension))
            append(UInt32(kept.count))
            bytes.reserveCapacity(bytes.count + kept.count * (12 + dimension))
            for (key, vector) in kept {
                append(key)
                append(vector.scale.bitPattern)
                vector.values.withUnsafeBytes { bytes.append(contentsOf: $0) }
            }
            return bytes
        }
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, modelID: UInt64, dimension: Int) -> [UInt64: Vector] {
        let header = 4 + 4 + 8 + 4 + 4
        guard bytes.count >= header, Array(bytes[0..<4]) == magic else { return [:] }
        func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        let count = Int(u32(20))
        let entry = 12 + dimension
        guard u32(4) == version, u64(8) == modelID, Int(u32(16)) == dimension,
              count <= (bytes.count - header) / max(1, entry), bytes.count == header + count * entry else { return [:] }
        var vectors: [UInt64: Vector] = [:]
        vectors.reserveCapacity(count)
        for index in 0..<count {
            let offset = header + index * entry
            let scale = Float(bitPattern: u32(offset + 8))
            let values = Array(bytes[(offset + 12)..<(offset + entry)]).map { Int8(bitPattern: $0) }
            vectors[u64(offset)] = Vector(scale: scale, values: values)
        }
        return vectors
    }
}
