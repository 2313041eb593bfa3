/// Git's own files read without libgit2 (the index, loose and packed objects, refs) are part of
/// GitShim's interface: everything that imports GitShim sees them.
@_exported import GitFiles
