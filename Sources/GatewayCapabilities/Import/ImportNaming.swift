// Tool names for imported operations: the operationId in snake_case, else method and path
// (`get_pets_pet_id`), with an optional prefix; always [a-z0-9_] and at most 64 characters.

enum ImportNaming {
    static func name(operationID: String?, method: String, path: String, prefix: String?) -> String {
        let base: String
        if let operationID, !snakeCase(operationID).isEmpty {
            base = snakeCase(operationID)
        } else {
            base = snakeCase(method.lowercased() + "_" + path)
        }
        let prefixed = prefix.map { snakeCase($0) }.flatMap { $0.isEmpty ? nil : $0 + "_" + base } ?? base
        guard prefixed.count > 64 else { return prefixed }
        // Too long: keep the start and add a stable hash of the whole so that two long names stay distinct.
        return String(prefixed.prefix(55)) + "_" + shortHash(prefixed)
    }

    /// `findPetsByStatus` → `find_pets_by_status`; `/pets/{petId}` → `pets_pet_id`.
    static func snakeCase(_ text: String) -> String {
        var output = ""
        var previous: Character?
        for character in text {
            if character.isASCII, character.isLetter || character.isNumber {
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { output.append("_") }
                output.append(Character(character.lowercased()))
            } else if !output.isEmpty, output.last != "_" {
                output.append("_")
            }
            previous = character
        }
        while output.hasSuffix("_") { output.removeLast() }
        return output
    }

    /// A property name usable in a `{placeholder}`: `filter[status]` → `filter_status`.
    static func propertyName(_ name: String) -> String {
        var output = ""
        for character in name {
            if character.isASCII, character.isLetter || character.isNumber || "_-".contains(character) {
                output.append(character)
            } else if !output.isEmpty, output.last != "_" {
                output.append("_")
            }
        }
        while output.hasSuffix("_") { output.removeLast() }
        if output.hasPrefix("env") && name.hasPrefix("env.") { output = "_" + output }
        return output.isEmpty ? "value" : output
    }

    /// 8 hex digits of FNV-1a.
    static func shortHash(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
