// Accept-header matching on bytes: case-insensitive, anywhere in the list, and no false hits.

import Testing
@testable import GatewayServer

@Suite struct AcceptHeaderTests {
    @Test func findsMediaTypesIgnoringCase() {
        let header = "Application/JSON, text/Event-Stream;q=0.9"
        #expect(AcceptHeader.lists(header, "application/json"))
        #expect(AcceptHeader.lists(header, "text/event-stream"))
        #expect(AcceptHeader.lists("*/*", "*/*"))
    }

    @Test func missingOrShorterHeadersDoNotMatch() {
        #expect(!AcceptHeader.lists(nil, "application/json"))
        #expect(!AcceptHeader.lists("", "application/json"))
        #expect(!AcceptHeader.lists("application/jso", "application/json"))
        #expect(!AcceptHeader.lists("text/html, application/xml", "application/json"))
    }

    @Test func bothMediaTypesInOnePassInAnyOrder() {
        #expect(AcceptHeader.lists("application/json, text/event-stream", both: "application/json", and: "text/event-stream"))
        #expect(AcceptHeader.lists("TEXT/EVENT-STREAM,application/json;q=0.5", both: "application/json", and: "text/event-stream"))
        #expect(!AcceptHeader.lists("application/json", both: "application/json", and: "text/event-stream"))
        #expect(!AcceptHeader.lists("text/event-stream", both: "application/json", and: "text/event-stream"))
        #expect(!AcceptHeader.lists(nil, both: "application/json", and: "text/event-stream"))
    }
}
