import GitShim
import Deploy
import Hooks
import Testing
import GitFiles

@Suite struct PushInputTests {
    let a = String(repeating: "a", count: 40)
    let zero = String(repeating: "0", count: 40)

    @Test func prePushLinesAreParsedWithDeletionsAndNewRefsAsNil() throws {
        let updates = try PushUpdate.parse("refs/heads/main \(a) refs/heads/main \(zero)\n(delete) \(zero) refs/heads/old \(a)\n")
        #expect(updates == [
            PushUpdate(localRef: "refs/heads/main", localOid: Oid(hex: a), remoteRef: "refs/heads/main", remoteOid: nil),
            PushUpdate(localRef: "(delete)", localOid: nil, remoteRef: "refs/heads/old", remoteOid: Oid(hex: a)),
        ])
    }

    @Test func aMalformedPrePushLineIsAnError() {
        #expect(throws: HookError("pre-push: cannot read the line 'refs/heads/main xyz' from git: expected '<local ref> <local sha> <remote ref> <remote sha>'")) {
            try PushUpdate.parse("refs/heads/main xyz\n")
        }
    }

    @Test func postReceiveLinesAreParsedAndGarbageIsSkipped() {
        let updates = ReceivedUpdate.parse("\(zero) \(a) refs/tags/v1\nnonsense\n\(a) \(zero) refs/heads/gone\n")
        #expect(updates == [
            ReceivedUpdate(oldOid: nil, newOid: Oid(hex: a), ref: "refs/tags/v1"),
            ReceivedUpdate(oldOid: Oid(hex: a), newOid: nil, ref: "refs/heads/gone"),
        ])
    }
}
