// Request header reads on the hot path. HTTPFields' own subscript scans the fields twice and
// joins the values through an unspecialised lazy sequence: about 3,000 instructions per read,
// and a POST reads six to ten headers (callgrind, BENCHMARKS.md). Same answers, one scan.

import HTTPTypes

extension HTTPFields {
    /// The field's value; several fields of that name joined with ", " as the subscript does.
    func value(_ name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            if let earlier = found {
                found = earlier + ", " + field.value
            } else {
                found = field.value
            }
        }
        return found
    }

    /// The value of a field that may appear at most once: `.several` when it is repeated.
    func single(_ name: HTTPField.Name) -> SingleHeader {
        var found = SingleHeader.absent
        for field in self where field.name == name {
            guard case .absent = found else { return .several }
            found = .one(field.value)
        }
        return found
    }
}

enum SingleHeader: Equatable {
    case absent, one(String), several

    var value: String? {
        if case .one(let value) = self { return value }
        return nil
    }
}
