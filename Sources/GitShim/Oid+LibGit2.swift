import CLibGit2
import GitFiles

extension Oid {
    init(_ raw: git_oid) {
        var raw = raw
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, buffer.count, &raw)
        self.init(hex: String(decoding: buffer.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self))!
    }

    var raw: git_oid {
        var oid = git_oid()
        _ = git_oid_fromstr(&oid, hex)
        return oid
    }
}
