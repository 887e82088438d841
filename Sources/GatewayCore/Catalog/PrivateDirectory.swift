// The catalog cache is read back as tool descriptions that clients see, so it may only live in a
// directory nobody else can write: created 0700, and before any read or write checked to be a real
// directory (not a symlink) owned by this user with no group or other write permission. A file in it
// must be a regular file owned by this user too.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum PrivateDirectory {
    /// Creates `path` (and missing parents) with mode 0700 when absent; nil when it is usable, else why not.
    static func prepare(_ path: String) -> String? {
        var info = stat()
        if lstat(path, &info) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                return "cannot create it (\(error.localizedDescription))"
            }
        }
        return problem(path)
    }

    /// Why `path` is not a private directory of this user, or nil when it is.
    static func problem(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return "it does not exist" }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return "it is not a directory (or is a symbolic link)" }
        guard info.st_uid == geteuid() else { return "it is owned by another user" }
        guard info.st_mode & (S_IWGRP | S_IWOTH) == 0 else { return "other users can write to it" }
        return nil
    }

    /// Why the file at `path` may not be trusted, or nil when it is a regular file of this user that only
    /// this user can write (or when it does not exist).
    static func fileProblem(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "it is not a regular file" }
        guard info.st_uid == geteuid() else { return "it is owned by another user" }
        guard info.st_mode & (S_IWGRP | S_IWOTH) == 0 else { return "other users can write to it" }
        return nil
    }
}
