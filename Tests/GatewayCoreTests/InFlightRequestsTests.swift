// notifications/cancelled from the network: any requestId, however odd, cancels at most the
// request it names and never traps (a huge number crashed the gateway: Int(Double) trap).

import MCPProtocol
import Synchronization
import Testing
@testable import GatewayCore

@Suite struct InFlightRequestsTests {
    private func cancelled(by requestId: String, registered id: JSONRPCID) throws -> Bool {
        let requests = InFlightRequests()
        let hit = Mutex(false)
        requests.register(id) { hit.withLock { $0 = true } }
        let params = try JSONParser.parse(Array(#"{"requestId":\#(requestId),"reason":"x"}"#.utf8))
        requests.cancel(params: params)
        return hit.withLock { $0 }
    }

    @Test(arguments: ["1e300", "-9.3e18", "1e309", "-1e309", "9223372036854775807", "-9223372036854775808",
                      "9.223372036854775807e18", "1.5", "true", "null", "{}", "[]"])
    func oddIdsCancelNothingAndDoNotTrap(_ requestId: String) throws {
        #expect(try !cancelled(by: requestId, registered: .int(7)))
    }

    @Test func wholeNumbersAndStringsCancelTheirRequest() throws {
        #expect(try cancelled(by: "7", registered: .int(7)))
        #expect(try cancelled(by: "7.0", registered: .int(7)))
        #expect(try cancelled(by: "7e0", registered: .int(7)))
        #expect(try cancelled(by: #""abc""#, registered: .string("abc")))
        #expect(try !cancelled(by: #""7""#, registered: .int(7)))
    }
}
