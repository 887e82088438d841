// The dashboard's form parsing and CSRF tokens: a token is bound to its principal and to the
// process's key, compared whole; form bodies decode `+` and percent escapes and drop what is
// malformed.

import GatewayAuth
@testable import GatewayServer
import Testing

struct DashboardFormTests {
    let admin = Principal(name: "ops", method: .apiKey, isAdmin: true)

    @Test func aTokenIsValidOnlyForItsPrincipalAndKey() {
        let csrf = DashboardCSRF()
        let token = csrf.token(for: admin)
        #expect(csrf.isValid(token, for: admin))
        #expect(!csrf.isValid(token, for: Principal(name: "ops", method: .oauth, isAdmin: true)))
        #expect(!csrf.isValid(token, for: Principal(name: "other", method: .apiKey, isAdmin: true)))
        #expect(!DashboardCSRF().isValid(token, for: admin), "another process's key")
        #expect(!csrf.isValid(nil, for: admin))
        #expect(!csrf.isValid("", for: admin))
        #expect(!csrf.isValid(String(token.dropLast()), for: admin))
        #expect(!csrf.isValid(token + "AA", for: admin))
    }

    @Test func formFieldsDecodeAndKeepTheFirstValue() {
        let fields = FormFields.parse("backend=alpha&csrf=a%2Bb&note=two+words&backend=beta&=x&bad=%E0%A4%A&flag")
        #expect(fields["backend"] == "alpha")
        #expect(fields["csrf"] == "a+b")
        #expect(fields["note"] == "two words")
        #expect(fields["bad"] == nil)
        #expect(fields["flag"] == "")
        #expect(fields[""] == nil)
    }
}
