// Each credential kind the scanner knows: found where it appears in real outputs, and left
// alone when it only looks close (a hash, a UUID, a base64 image, the word "Bearer" in prose).

import GatewayGovernance
import Testing

@Suite struct RedactionPatternTests {
    @Test func awsAccessKeyIDs() throws {
        #expect(try redactedValue("key id \(Fixture.awsAccessKey) in use") == "key id [redacted:aws_access_key] in use")
        #expect(try redactedValue("\"AccessKeyId\": \"\(Fixture.awsSessionKey)\"") == "\"AccessKeyId\": \"[redacted:aws_access_key]\"")
        #expect(redactionCounts(Fixture.awsAccessKey)[.awsAccessKey] == 1)
        // Near misses: one character short, lower case, inside a longer word, another IAM prefix.
        for near in [String(Fixture.awsAccessKey.dropLast()), Fixture.awsAccessKey.lowercased(), "X" + Fixture.awsAccessKey,
                     Fixture.awsAccessKey + "Q", "AIDA" + "IOSFODNN7EXAMPLE"] {
            #expect(try redactedValue(near) == near)
        }
    }

    @Test func awsSecretKeysWhenLabelled() throws {
        let secret = Fixture.awsSecret
        #expect(try redactedValue("aws_secret_access_key = \(secret)\nregion = eu-west-1")
                == "aws_secret_access_key = [redacted:aws_secret_key]\nregion = eu-west-1")
        #expect(try redactedValue("AWS_SECRET_ACCESS_KEY=\(secret)") == "AWS_SECRET_ACCESS_KEY=[redacted:aws_secret_key]")
        #expect(try redactedValue("{\"SecretAccessKey\": \"\(secret)\"}") == "{\"SecretAccessKey\": \"[redacted:aws_secret_key]\"}")
        // Unlabelled 40 base64 characters are no different from a hash: left alone.
        #expect(try redactedValue("value \(secret) here") == "value \(secret) here")
        // A label with a value of the wrong length, or prose about the key.
        #expect(try redactedValue("aws_secret_access_key = \(secret.dropLast())") == "aws_secret_access_key = \(secret.dropLast())")
        #expect(try redactedValue("Set the secret access key in ~/.aws/credentials") == "Set the secret access key in ~/.aws/credentials")
    }

    @Test func githubAndGitlabTokens() throws {
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            let token = prefix + Fixture.run(36)
            #expect(try redactedValue("token: \(token).") == "token: [redacted:github_token].")
        }
        #expect(try redactedValue("GITHUB_TOKEN=\(Fixture.githubFineGrained)") == "GITHUB_TOKEN=[redacted:github_token]")
        #expect(try redactedValue("\(Fixture.gitlab) expires") == "[redacted:gitlab_token] expires")
        for near in ["ghp_" + Fixture.run(35), "ghx_" + Fixture.run(36), "xghp_" + Fixture.run(36), "ghp_" + Fixture.run(36) + "_x",
                     "github_pat_short", "glpat-short12345", "see the ghp_ prefix"] {
            #expect(try redactedValue(near) == near)
        }
    }

    @Test func slackTokensAndWebhooks() throws {
        #expect(try redactedValue("SLACK_BOT_TOKEN=\(Fixture.slackBot)") == "SLACK_BOT_TOKEN=[redacted:slack_token]")
        #expect(try redactedValue("post to \(Fixture.slackWebhook) now") == "post to https://[redacted:slack_webhook] now")
        for near in ["xoxb-abcdefghijklmno", "xoxo-1234567890123", "xoxb-12", "hooks.slack.com/services/", "https://hooks.slack.com/apps"] {
            #expect(try redactedValue(near) == near)
        }
    }

    @Test func privateKeyBlocks() throws {
        #expect(try redactedValue("key:\n\(Fixture.privateKey)\ndone") == "key:\n[redacted:private_key]\ndone")
        #expect(try redactedValue(Fixture.opensshKey) == "[redacted:private_key]")
        let pgp = "-----BEGIN PGP " + "PRIVATE KEY BLOCK-----\n\n" + Fixture.privateKeyBody + "\n-----END PGP PRIVATE KEY BLOCK-----"
        #expect(try redactedValue(pgp) == "[redacted:private_key]")
        // Cut short (a truncated file read): replaced to the end of the string.
        let truncated = String(Fixture.privateKey.prefix(200))
        #expect(try redactedValue("head: " + truncated) == "head: [redacted:private_key]")
        // A header in prose, a certificate, a public key: not secrets.
        let prose = "A key file starts with -----BEGIN RSA PRIVATE KEY----- and ends with the END line."
        #expect(try redactedValue(prose) == prose)
        // Found in the corpus: the same prose inside a long diff, with an END line further on.
        let diff = "+ header: -----BEGIN RSA PRIVATE KEY-----\n+ " + String(repeating: "ordinary words of a long diff ", count: 40)
            + "\n+ AnIdentifierLongerThanThirtyTwoCharactersInCode = 1\n+ footer: -----END RSA PRIVATE KEY-----\n"
        #expect(try redactedValue(diff) == diff)
        let certificate = "-----BEGIN CERTIFICATE-----\n" + Fixture.privateKeyBody + "\n-----END CERTIFICATE-----"
        #expect(try redactedValue(certificate) == certificate)
        let publicKey = "-----BEGIN PUBLIC KEY-----\n" + Fixture.privateKeyBody + "\n-----END PUBLIC KEY-----"
        #expect(try redactedValue(publicKey) == publicKey)
    }

    @Test func jsonWebTokens() throws {
        #expect(try redactedValue("id_token=\(Fixture.jwt)&state=1") == "id_token=[redacted:jwt]&state=1")
        #expect(redactionCounts(Fixture.jwt)[.jwt] == 1)
        let parts = Fixture.jwt.split(separator: ".")
        for near in [parts[0] + "." + parts[1], parts[0] + "." + parts[1] + ".short", "eyJhbGciOi", "xeyJ" + Fixture.jwt.dropFirst(3)] {
            #expect(try redactedValue(String(near)) == String(near))
        }
    }

    @Test func bearerTokens() throws {
        #expect(try redactedValue("Authorization: Bearer \(Fixture.bearerOpaque)") == "Authorization: Bearer [redacted:bearer_token]")
        #expect(try redactedValue("authorization: bearer \(Fixture.bearerOpaque)\r\n") == "authorization: bearer [redacted:bearer_token]\r\n")
        // A bearer token of a known kind is counted as that kind.
        #expect(try redactedValue("Bearer \(Fixture.jwt)") == "Bearer [redacted:jwt]")
        #expect(try redactedValue("Bearer \(Fixture.githubClassic)") == "Bearer [redacted:github_token]")
        for prose in ["Send a Bearer token in the Authorization header.", "Bearer authentication/authorization",
                      "Authorization: Bearer YOUR_ACCESS_TOKEN_HERE", "Authorization: Bearer <token>", "Bearer ${API_TOKEN}",
                      "the bearer 12345 is short", "Bearer-Token: x"] {
            #expect(try redactedValue(prose) == prose)
        }
    }

    @Test func gatewaySecretsAreFoundLiterally() throws {
        let scanner = SecretScanner(gatewaySecrets: ["team-key-0123456789", "p\"a\\ss/w0rd!", "short"])
        #expect(try redactedValue("key team-key-0123456789 used", scanner) == "key [redacted:gateway_secret] used")
        // Quotes, backslashes and slashes are escaped in JSON; the escaped form is found.
        #expect(try redactedValue("pw=p\"a\\ss/w0rd!", scanner) == "pw=[redacted:gateway_secret]")
        let escapedSlash = Array("{\"t\":\"p\\\"a\\\\ss\\/w0rd!\"}".utf8)
        #expect(scanner.redact(json: escapedSlash)?.bytes == Array("{\"t\":\"[redacted:gateway_secret]\"}".utf8))
        // Shorter than 8 bytes: not looked for.
        #expect(try redactedValue("a short word", scanner) == "a short word")
        #expect(!SecretScanner(gatewaySecrets: ["short"]).hasGatewaySecrets)
        #expect(try redactedValue("key team-key-0123456789") == "key team-key-0123456789")
    }

    /// Ordinary outputs full of hex, base64 and identifiers.
    @Test func ordinaryTextIsLeftAlone() throws {
        let samples = [
            "commit 3f786850e387550fdab836ed7e6dc881de23001b\nAuthor: A <a@example.com>",
            "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "id 123e4567-e89b-12d3-a456-426614174000 and 550E8400-E29B-41D4-A716-446655440000",
            "data:image/png;base64," + Fixture.run(4000, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "==",
            "The secret is out: bearer bonds, AKIA rules, ghp tokens and xoxb bots are discussed.",
            "-----BEGIN PGP SIGNATURE-----\n" + Fixture.privateKeyBody + "\n-----END PGP SIGNATURE-----",
            "eyJ is how base64 JSON starts; so does eyJhbGciOiJIUzI1NiJ9 alone.",
        ]
        for sample in samples {
            #expect(try redactedValue(sample) == sample)
        }
    }
}
