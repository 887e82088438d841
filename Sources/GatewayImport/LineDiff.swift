// What `import --dry-run` shows of a change to an existing file: the lines that differ, with
// three lines of context, in the unified diff form people read. The changes import makes are
// one region (a block of new entries, or one section of a client file), which a common prefix
// and suffix find exactly; no general diff algorithm is needed.

public enum LineDiff {
    public static func unified(old: String, new: String, oldName: String, newName: String) -> String {
        let before = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let after = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var prefix = 0
        while prefix < before.count, prefix < after.count, before[prefix] == after[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < before.count - prefix, suffix < after.count - prefix,
              before[before.count - 1 - suffix] == after[after.count - 1 - suffix] { suffix += 1 }
        guard prefix < before.count || prefix < after.count, before != after else { return "" }
        let context = 3
        let start = max(0, prefix - context)
        let removed = before[prefix..<(before.count - suffix)]
        let added = after[prefix..<(after.count - suffix)]
        let tailEnd = min(before.count - suffix + context, before.count)
        let tail = before[(before.count - suffix)..<tailEnd]
        var out = ["--- \(oldName)", "+++ \(newName)"]
        let oldCount = prefix - start + removed.count + tail.count
        let newCount = prefix - start + added.count + tail.count
        out.append("@@ -\(start + 1),\(oldCount) +\(start + 1),\(newCount) @@")
        out += before[start..<prefix].map { " " + $0 }
        out += removed.map { "-" + $0 }
        out += added.map { "+" + $0 }
        out += tail.map { " " + $0 }
        return out.joined(separator: "\n") + "\n"
    }
}
