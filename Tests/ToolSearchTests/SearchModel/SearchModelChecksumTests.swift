// The committed table is the one scripts/search-model/distill.py produced: its SHA-256 (and the
// vocabulary's) equal the ones the script recorded in manifest.json, and the build ships the same
// bytes. (`distill.py --check` rebuilds the table from the model and compares it byte for byte.)

import Crypto
import Foundation
import Testing
@testable import ToolSearch

@Suite struct SearchModelChecksumTests {
    private func sha256(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    @Test func committedFilesMatchTheManifest() throws {
        let manifest = try SearchModelFixture.manifest()
        let directory = SearchModelFixture.modelDirectory
        #expect(try sha256(directory + "/embeddings.bin") == manifest.embeddings_sha256)
        #expect(try sha256(directory + "/vocab.txt") == manifest.vocab_sha256)
        let embedder = try SearchModelFixture.embedder.get()
        #expect(embedder.table.rows == manifest.rows && embedder.dimension == manifest.dim)
    }

    @Test func theBundledCopyIsTheCommittedOne() throws {
        let bundled = try #require(SearchModelLocation.directory())
        let manifest = try SearchModelFixture.manifest()
        #expect(try sha256(bundled + "/embeddings.bin") == manifest.embeddings_sha256)
    }
}
