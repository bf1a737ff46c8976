import Foundation
import KubeAPI
import Testing

@Suite("Token file credentials")
struct CredentialTokenFileTests {
    @Test("a rotated token file gives the new token: at once when it changed, and after invalidate()")
    func rotation() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("token", "first-token\n")
        let source = TokenFileCredential(path: path)
        #expect(try await source.credential() == .bearerToken("first-token"))
        try directory.write("token", "second-token-longer\n")
        #expect(try await source.credential() == .bearerToken("second-token-longer"))
        try directory.write("token", "  third-token  \n\n")
        await source.invalidate()
        #expect(try await source.credential() == .bearerToken("third-token"))
    }

    @Test("an unchanged-looking file is still re-read once maxAge has passed, and at once after invalidate()")
    func maxAge() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("token", "token-aaaa")
        let written = Date(timeIntervalSince1970: 1_800_000_000)
        try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: path)
        let clock = ManualClock()
        let source = TokenFileCredential(path: path, maxAge: .seconds(60), now: clock.function)
        #expect(try await source.credential() == .bearerToken("token-aaaa"))

        // Same size, same inode, same modification time: only time or invalidate() shows the change.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data("token-bbbb".utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: path)
        clock.advance(30)
        #expect(try await source.credential() == .bearerToken("token-aaaa"))
        clock.advance(31)
        #expect(try await source.credential() == .bearerToken("token-bbbb"))

        let again = try #require(FileHandle(forWritingAtPath: path))
        try again.write(contentsOf: Data("token-cccc".utf8))
        try again.close()
        try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: path)
        await source.invalidate()
        #expect(try await source.credential() == .bearerToken("token-cccc"))
    }

    @Test("a missing or empty token file is a credentials error naming the path")
    func missingOrEmpty() async throws {
        let directory = try TemporaryDirectory()
        let missing = directory.file("absent")
        let error = await kubeErrorAsync { try await TokenFileCredential(path: missing).credential() }
        #expect(error?.description == "credentials: the token file \(missing) does not exist")
        let empty = try directory.write("empty", "\n")
        let emptyError = await kubeErrorAsync { try await TokenFileCredential(path: empty).credential() }
        #expect(emptyError?.description == "credentials: the token file \(empty) is empty")
    }

    @Test("a token read earlier serves while the file is briefly gone, but not after invalidate()")
    func briefAbsence() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("token", "kept-token")
        let source = TokenFileCredential(path: path)
        #expect(try await source.credential() == .bearerToken("kept-token"))
        try FileManager.default.removeItem(atPath: path)
        #expect(try await source.credential() == .bearerToken("kept-token"))
        await source.invalidate()
        let error = await kubeErrorAsync { try await source.credential() }
        #expect(error?.description.contains(path) == true)
    }
}
