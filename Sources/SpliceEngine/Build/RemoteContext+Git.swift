#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SystemKit
import struct EngineErrors.EngineError

extension RemoteContext {
    /// A Git remote as dockerd parses it: the repository, the ref (`#ref`, the remote's default branch when empty)
    /// and the context's directory in it (`#ref:dir`).
    struct GitRemote: Equatable {
        /// What `git fetch` is given.
        var repository: String
        /// The branch, tag or commit; empty for the default branch.
        var ref: String
        /// The context directory inside the checkout; empty for its root.
        var subdirectory: String

        /// Parses `remote` (dockerd's `parseRemoteURL`: a bare `github.com/…` is fetched over `https://`).
        init(_ remote: String) throws(EngineError) {
            var text = remote
            if !(RemoteContext.isURL(text) || text.hasPrefix("git://") || text.hasPrefix("git@")) {
                text = "https://" + text
            }
            let parts = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            repository = String(parts[0])
            let fragment = parts.count > 1 ? String(parts[1]) : ""
            let refAndDirectory = fragment.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            ref = String(refAndDirectory[0])
            subdirectory = refAndDirectory.count > 1 ? String(refAndDirectory[1]) : ""
            if ref.hasPrefix("-") { throw EngineError(.internal, "invalid refspec: \(ref)") }
        }
    }

    /// The environment git runs with: no prompt for credentials, no system or user configuration, and no protocol
    /// a repository could smuggle in (dockerd's isolated git).
    static let gitEnvironment = ["GIT_TERMINAL_PROMPT=0", "GIT_PROTOCOL_FROM_USER=0", "GIT_CONFIG_NOSYSTEM=1",
                                 "HOME=/dev/null"]

    /// Clones `remote` (depth 1 where the server allows it) into a directory under `spool`, checks out its ref and
    /// archives the context directory; the clone is removed either way.
    static func cloneGit(_ remote: String, spool: String) async throws(EngineError) -> Fetched {
        let repository = try GitRemote(remote)
        guard let git = HostCommand.locate(["/usr/bin/git", "/usr/local/bin/git", "/bin/git"]) else {
            throw EngineError(.internal, "error fetching: git is not installed on the daemon's host: exec: \"git\": "
                + "executable file not found in $PATH")
        }
        mkdir(spool, 0o700)
        let root = spool + "/remote-git-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        do {
            let tar = try await BlockingWork.run { () throws -> String in
                defer { try? FileManager.default.removeItem(atPath: root) }
                try AtomicFile.makeDirectories(root, mode: 0o700)
                let directory = try RemoteContext.checkout(repository, git: git, root: root)
                return try RemoteContext.archive(directory, spool: spool)
            }
            return Fetched(archive: tar, dockerfile: nil, downloaded: 0)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.internal, "error fetching: \(error)", cause: error)
        }
    }

    /// `git init`, `fetch` and `checkout` in `root`, then the context directory (symlinks resolved inside the
    /// checkout, as dockerd's `FollowSymlinkInScope`). Blocking.
    static func checkout(_ repository: GitRemote, git: String, root: String) throws(EngineError) -> String {
        try runGit(git, root, ["init", "-q"], failure: "failed to init repo at \(root)")
        try runGit(git, root, ["remote", "add", "origin", repository.repository],
                   failure: "failed add origin repo at \(repository.repository)")
        // No ref: the remote's HEAD, its default branch.
        let ref = ["--", repository.ref.isEmpty ? "HEAD" : repository.ref]
        do throws(EngineError) {
            try runGit(git, root, ["fetch", "-q", "--depth", "1", "origin"] + ref, failure: "error fetching")
        } catch where error.message.contains("does not support shallow") {
            // A dumb HTTP server has no shallow fetch; dockerd asks it first and then fetches everything.
            try runGit(git, root, ["fetch", "-q", "origin"] + ref, failure: "error fetching")
        }
        // A branch name first (HEAD then names it), else what the fetch brought (a tag, a commit, the default
        // branch).
        do throws(EngineError) {
            if repository.ref.isEmpty {
                try runGit(git, root, ["checkout", "-q", "FETCH_HEAD"], failure: "error checking out")
            } else {
                try runGit(git, root, ["checkout", "-q", repository.ref],
                           failure: "error checking out \(repository.ref)")
            }
        } catch {
            guard !repository.ref.isEmpty,
                  (try? runGit(git, root, ["checkout", "-q", "FETCH_HEAD"], failure: "")) != nil
            else { throw error }
        }
        try runGit(git, root, ["submodule", "update", "--init", "--recursive", "--depth=1"],
                   failure: "error initializing submodules", inWorkTree: true)
        guard !repository.subdirectory.isEmpty else { return root }
        let directory: String
        do {
            directory = try ScopedPath.resolve(repository.subdirectory, in: root)
        } catch {
            throw EngineError(.internal, "error setting git context, \"\(repository.subdirectory)\" not within git "
                + "root: \(error.message)", cause: error)
        }
        var info = stat()
        guard stat(directory, &info) == 0 else {
            throw EngineError(.internal, "stat \(directory): no such file or directory")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw EngineError(.internal, "error setting git context, not a directory: \(directory)")
        }
        return directory
    }

    /// Runs `git --work-tree ROOT --git-dir ROOT/.git ARGS` (`git -C ROOT ARGS` when `inWorkTree`, for `submodule`,
    /// which needs to run inside the work tree); a failure is `FAILURE: OUTPUT: exit status N`.
    static func runGit(_ git: String, _ root: String, _ arguments: [String], failure: String,
                       inWorkTree: Bool = false) throws(EngineError)
    {
        let location = inWorkTree ? ["-C", root] : ["--work-tree", root, "--git-dir", root + "/.git"]
        let full = ["-c", "protocol.file.allow=never"] + location + arguments
        let result: HostCommand.Result
        do {
            result = try HostCommand.run(git, arguments: full, environment: gitEnvironment)
        } catch {
            throw EngineError(.internal, "\(failure): \(error)", cause: error)
        }
        guard result.status == 0 else {
            let output = String(decoding: result.stderr + result.stdout, as: UTF8.self)
            throw EngineError(.internal, "\(failure): \(output): exit status \(result.status)")
        }
    }
}
