// The hand-made `Date` header agrees with RFC 9110's own example and with Foundation's
// formatter across leap years, century rules and every weekday.

import Foundation
import Testing
@testable import GatewayServer

@Suite struct HTTPDateHeaderTests {
    @Test func matchesTheRFCExample() {
        #expect(HTTPDateHeader.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDateHeader.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test func agreesWithFoundationAcrossCalendarEdges() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        // 2000-02-29, 2100-03-01 (no leap day in 2100), the end of 2026, and a day's worth of steps.
        var samples = [951_782_400, 951_868_799, 4_107_542_400, 1_798_761_599, 1_798_761_600]
        samples += stride(from: 1_700_000_000, to: 1_700_000_000 + 40 * 86_400, by: 86_400 + 3_607)
        for seconds in samples {
            #expect(HTTPDateHeader.format(seconds) == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))))
        }
    }
}
