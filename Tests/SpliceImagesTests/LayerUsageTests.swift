import Foundation
import Testing
@testable import SpliceImages

@Suite("Layer usage for system df")
struct LayerUsageTests {
    @Test func aLayerTwoImagesShareCountsOnceAndAsSharedInBoth() throws {
        let fixture = try StoreFixture()
        let first = try fixture.store.importFile(fixture.tarPath, ImportOptions(reference: "one:v1"))
        let second = try fixture.store.importFile(fixture.tarPath, ImportOptions(reference: "two:v1", message: "again"))
        #expect(first != second)
        let layer = try #require(fixture.store.image(named: first.description).layers.first)
        let usage = try fixture.store.layerUsage()
        #expect(usage.layersSize == layer.uncompressedSize)
        #expect(usage.sharedSize == [first.description: layer.uncompressedSize,
                                     second.description: layer.uncompressedSize])
        _ = try fixture.store.remove(reference: "two:v1")
        #expect(try fixture.store.layerUsage().sharedSize == [first.description: 0])
    }
}
