import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which paths the file nodes may read and write: n8n's `isFilePathBlocked`, from the same
/// environment variables (docs/configuration.md, "Files"):
///
/// - `N8N_RESTRICT_FILE_ACCESS_TO`: `;`-separated folders; when set, only paths inside them are
///   allowed (`~` is the home folder). Unset gives n8n 2.x's default `~/.n8n-files`; set and empty
///   allows every path (n8n 1.x's default).
/// - `N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES` (default `true`): block flowrun's own files (the data
///   folder, credentials and config files) and n8n's (`~/.n8n`, `N8N_CONFIG_FILES`, …).
/// - `N8N_BLOCK_FILE_PATTERNS`: `;`-separated regular expressions over the resolved path; the
///   default blocks every path with a `.git` component.
///
/// Paths are compared after symbolic links are resolved (`realpath`), so a link inside an
/// allowed folder cannot reach outside it.
struct FileAccessPolicy: Sendable {
    /// The allowed folders (absolute, `~` expanded); empty allows every path not blocked.
    var allowedPaths: [String]
    /// Folders nothing may be read from or written to.
    var blockedPaths: [String]
    /// Regular expressions a resolved path must not match (nil: n8n's default `.git` pattern).
    var blockedPatterns: [String]?

    static let defaultRestriction = "~/.n8n-files"

    init(allowedPaths: [String] = [], blockedPaths: [String] = [], blockedPatterns: [String]? = []) {
        self.allowedPaths = allowedPaths
        self.blockedPaths = blockedPaths
        self.blockedPatterns = blockedPatterns
    }

    /// The policy the environment describes; `workingDirectory` resolves relative folders.
    init(environment env: [String: String]) {
        let home = env["HOME"] ?? NSHomeDirectory()
        let expand: (String) -> String = { path in
            path.hasPrefix("~") ? home + path.dropFirst() : path
        }
        let restriction = env["N8N_RESTRICT_FILE_ACCESS_TO"] ?? Self.defaultRestriction
        allowedPaths = restriction.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.map { Self.resolve(expand($0)) }
        if env["N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES"] != "false" {
            var blocked = [env["FLOWRUN_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".flowrun"]
            for key in ["FLOWRUN_CREDENTIALS", "FLOWRUN_CREDENTIALS_FILE", "FLOWRUN_CONFIG", "N8N_BINARY_DATA_STORAGE_PATH",
                        "N8N_UM_EMAIL_TEMPLATES_INVITE", "N8N_UM_EMAIL_TEMPLATES_PWRESET"] {
                if let value = env[key], !value.isEmpty { blocked.append(value) }
            }
            blocked.append((env["N8N_USER_FOLDER"] ?? home) + "/.n8n")
            blocked.append(home + "/.cache/n8n/public")
            blocked += (env["N8N_CONFIG_FILES"] ?? "").split(separator: ",").map(String.init)
            blocked += (env["N8N_CUSTOM_EXTENSIONS"] ?? "").split(separator: ";").map(String.init)
            blockedPaths = blocked.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { Self.resolve(expand($0)) }
        } else {
            blockedPaths = []
        }
        blockedPatterns = env["N8N_BLOCK_FILE_PATTERNS"].map {
            $0.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    /// Whether a resolved path may not be touched (n8n's `isFilePathBlocked`).
    func isBlocked(_ resolvedPath: String) -> Bool {
        if blockedPaths.contains(where: { Self.isContained($0, within: resolvedPath) }) { return true }
        if let patterns = blockedPatterns {
            for pattern in patterns {
                // An invalid pattern blocks, as in n8n.
                guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .anchorsMatchLines]) else { return true }
                if regex.firstMatch(in: resolvedPath, range: NSRange(resolvedPath.startIndex..., in: resolvedPath)) != nil { return true }
            }
        } else if resolvedPath.split(separator: "/").contains(where: { $0.lowercased() == ".git" }) {
            // n8n's default `^(.*\/)*\.git(\/.*)*$`, tested by components (no regex backtracking).
            return true
        }
        if !allowedPaths.isEmpty { return !allowedPaths.contains { Self.isContained($0, within: resolvedPath) } }
        return false
    }

    /// n8n's `isContainedWithin`: the same path, or one below it.
    static func isContained(_ parent: String, within child: String) -> Bool {
        let parent = parent.count > 1 && parent.hasSuffix("/") ? String(parent.dropLast()) : parent
        return child == parent || child.hasPrefix(parent == "/" ? "/" : parent + "/")
    }

    /// Node's `path.resolve`: absolute against the working directory, `.` and `..` folded.
    static func resolve(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// n8n's `resolvePath`: `realpath` (symbolic links resolved), or `resolve` when the path does
    /// not exist yet; other failures are returned as the `errno`.
    static func resolveReal(_ path: String) -> Result<String, FileSystemError> {
        guard let real = realpath(path, nil) else {
            let code = errno
            if code == ENOENT { return .success(resolve(path)) }
            return .failure(FileSystemError(errno: code, syscall: "realpath", path: path))
        }
        defer { free(real) }
        return .success(String(cString: real))
    }
}

/// A failed system call, described as Node's `fs` does (`ENOENT: no such file or directory, open '/x'`).
struct FileSystemError: Error, Sendable {
    var errno: Int32
    var syscall: String
    var path: String

    var code: String {
        switch errno {
        case ENOENT: "ENOENT"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case EISDIR: "EISDIR"
        case ENOTDIR: "ENOTDIR"
        case ELOOP: "ELOOP"
        case EEXIST: "EEXIST"
        case ENOSPC: "ENOSPC"
        case EROFS: "EROFS"
        default: "E\(errno)"
        }
    }

    var message: String {
        let text: String
        switch errno {
        case ENOENT: text = "no such file or directory"
        case EACCES: text = "permission denied"
        case EPERM: text = "operation not permitted"
        case EISDIR: text = "illegal operation on a directory"
        case ELOOP: text = "too many symbolic links encountered"
        default: text = String(cString: strerror(errno)).lowercased()
        }
        return "\(code): \(text), \(syscall) '\(path)'"
    }
}
