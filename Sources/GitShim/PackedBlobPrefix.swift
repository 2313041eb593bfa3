import GitFiles

/// The first bytes of a blob stored whole (not as a delta) in a pack, read from the pack itself.
/// libgit2 1.5 cannot stream a packed object, and reading it through `git_blob_lookup` inflates it
/// entirely; `ObjectFiles` (the reader the hooks' fast path uses) looks it up in the pack indexes and
/// inflates only as much of its compressed stream as the prefix needs.
enum PackedBlobPrefix {
    /// Nil when no pack in `objectsDirectory` holds `oid` undeltified (or the object directory has
    /// alternates, which `ObjectFiles` does not follow); the caller then reads it through libgit2.
    static func read(_ oid: Oid, objectsDirectory: String, maxBytes: Int) -> [UInt8]? {
        guard let objects = ObjectFiles(directory: objectsDirectory) else { return nil }
        return try? objects.packedBlobPrefix(oid.rawBytes, maxBytes: maxBytes)
    }
}
