// Starter-pack capabilities executed end to end: the real files, their real origins redirected to one
// loopback server that answers like the real API (canned JSON shaped like the API's documented answers),
// checking both the request that arrived and the result the model gets.

import LoopbackTestServer
import Foundation
import GatewayCapabilities
import MCPProtocol
import Testing

@Suite struct StarterPackEndToEndTests {
    /// Canned answers keyed by request path, shaped like the real APIs' responses.
    static let answers: [String: String] = [
        "/v1/forecast": #"{"latitude":52.52,"longitude":13.419998,"generationtime_ms":0.05,"utc_offset_seconds":3600,"timezone":"Europe/Berlin","timezone_abbreviation":"CET","elevation":38.0,"current_units":{"time":"iso8601","temperature_2m":"°C"},"current":{"time":"2025-01-15T12:00","interval":900,"temperature_2m":3.4},"daily_units":{"time":"iso8601","temperature_2m_max":"°C"},"daily":{"time":["2025-01-15","2025-01-16","2025-01-17"],"temperature_2m_max":[4.1,5.0,2.2]}}"#,
        "/api/rest_v1/page/summary/Alan%20Turing": #"{"type":"standard","title":"Alan Turing","displaytitle":"Alan Turing","pageid":1208,"description":"English computer scientist (1912–1954)","extract":"Alan Mathison Turing was an English mathematician, computer scientist, logician, cryptanalyst, philosopher and theoretical biologist.","content_urls":{"desktop":{"page":"https://en.wikipedia.org/wiki/Alan_Turing"},"mobile":{"page":"https://en.m.wikipedia.org/wiki/Alan_Turing"}},"timestamp":"2025-01-10T08:00:00Z","thumbnail":{"source":"https://upload.wikimedia.org/x.jpg","width":320,"height":400}}"#,
        "/repos/apple/swift-nio": #"{"id":119327727,"name":"swift-nio","full_name":"apple/swift-nio","private":false,"owner":{"login":"apple","id":10639145},"html_url":"https://github.com/apple/swift-nio","description":"Event-driven network application framework for high performance protocol servers & clients, non-blocking.","fork":false,"language":"Swift","stargazers_count":8000,"forks_count":650,"open_issues_count":230,"license":{"key":"apache-2.0","spdx_id":"Apache-2.0"},"default_branch":"main","topics":["swift","networking"],"pushed_at":"2025-01-14T10:00:00Z","archived":false,"size":20000}"#,
        "/pypi/requests/json": #"{"info":{"author":"Kenneth Reitz","name":"requests","version":"2.32.3","summary":"Python HTTP for Humans.","license":"Apache-2.0","requires_python":">=3.8","home_page":"https://requests.readthedocs.io","project_urls":{"Source":"https://github.com/psf/requests"},"requires_dist":["charset-normalizer<4,>=2","idna<4,>=2.5"]},"last_serial":1,"releases":{"2.32.3":[]},"urls":[],"vulnerabilities":[]}"#,
        "/%40types%2Fnode/latest": #"{"name":"@types/node","version":"22.10.5","description":"TypeScript definitions for node","license":"MIT","dependencies":{"undici-types":"~6.20.0"},"repository":{"type":"git","url":"https://github.com/DefinitelyTyped/DefinitelyTyped.git"},"homepage":"https://github.com/DefinitelyTyped/DefinitelyTyped","_id":"@types/node@22.10.5","dist":{"tarball":"https://registry.npmjs.org/x.tgz"}}"#,
        "/api/v1/crates/serde": #"{"crate":{"id":"serde","name":"serde","newest_version":"1.0.217","max_stable_version":"1.0.217","description":"A generic serialization/deserialization framework","downloads":500000000,"recent_downloads":60000000,"repository":"https://github.com/serde-rs/serde","documentation":"https://docs.rs/serde","updated_at":"2024-12-27T00:00:00Z","keywords":["serde"]},"versions":[1,2,3],"keywords":[],"categories":[]}"#,
        "/latest": #"{"amount":1.0,"base":"USD","date":"2025-01-14","rates":{"EUR":0.97,"GBP":0.82}}"#,
        "/api/v3/PublicHolidays/2025/NO": #"[{"date":"2025-01-01","localName":"Første nyttårsdag","name":"New Year's Day","countryCode":"NO","fixed":false,"global":true,"counties":null,"launchYear":null,"types":["Public"]},{"date":"2025-05-17","localName":"Grunnlovsdagen","name":"Constitution Day","countryCode":"NO","fixed":false,"global":true,"counties":null,"launchYear":null,"types":["Public"]}]"#,
        "/api/v1/search": #"{"hits":[{"title":"Swift Concurrency Explained","url":"https://example.org/swift","author":"jdoe","points":321,"num_comments":87,"created_at":"2024-06-01T10:00:00Z","objectID":"40500000","_highlightResult":{},"_tags":["story"]}],"nbHits":1,"page":0,"nbPages":1,"hitsPerPage":10,"query":"swift concurrency"}"#,
        "/api/Time/current/zone": #"{"year":2025,"month":1,"day":15,"hour":7,"minute":30,"seconds":5,"milliSeconds":0,"dateTime":"2025-01-15T07:30:05","date":"01/15/2025","time":"07:30","timeZone":"America/New_York","dayOfWeek":"Wednesday","dstActive":false}"#,
        "/search": #"[{"place_id":1,"licence":"Data © OpenStreetMap contributors, ODbL 1.0.","osm_type":"way","lat":"51.50344025","lon":"-0.12770820958562096","category":"tourism","type":"attraction","importance":0.6,"addresstype":"tourism","name":"10 Downing Street","display_name":"10 Downing Street, Westminster, London, SW1A 2AA, United Kingdom","address":{"road":"Downing Street","city":"London","postcode":"SW1A 2AA","country":"United Kingdom","country_code":"gb"},"boundingbox":["51.5","51.6","-0.13","-0.12"]}]"#,
        "/graphql": #"{"data":{"country":{"name":"Brazil","native":"Brasil","capital":"Brasília","currency":"BRL","emoji":"🇧🇷","continent":{"name":"South America"},"languages":[{"code":"pt","name":"Portuguese"}]}}}"#,
        "/v1/query": #"{"vulns":[{"id":"GHSA-462w-v97r-4m45","summary":"Jinja2 sandbox escape via string formatting","aliases":["CVE-2016-10745"],"modified":"2024-01-01T00:00:00Z"}]}"#,
        "/api/v3/NextPublicHolidays/DE": #"[{"date":"2025-04-18","localName":"Karfreitag","name":"Good Friday","countryCode":"DE","global":true}]"#,
    ]

    static let origins = [
        "https://api.open-meteo.com", "https://en.wikipedia.org", "https://api.github.com", "https://pypi.org",
        "https://registry.npmjs.org", "https://crates.io", "https://api.frankfurter.app", "https://date.nager.at",
        "https://hn.algolia.com", "https://timeapi.io", "https://nominatim.openstreetmap.org",
        "https://countries.trevorblades.com", "https://api.osv.dev",
    ]

    func run(_ tool: String, _ arguments: String, environment: [String: String] = [:], allowEnv: [String] = [])
        async throws -> (outcome: CallOutcome, request: RecordedRequest) {
        let server = try await LoopbackServer { request in
            Self.answers[request.path].map { .json($0) } ?? .json(#"{"message":"Not Found"}"#, status: 404)
        }
        defer { Task { await server.stop() } }
        let overrides = Dictionary(uniqueKeysWithValues: Self.origins.map { ($0, server.origin) })
        let settings = testSettings(starterPack: true, environment: environment, allowEnv: allowEnv, originOverrides: overrides)
        let outcome = try await withCatalog(settings) { catalog in
            CallOutcome(await catalog.call(tool: tool, arguments: json(arguments)))
        }
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        return (outcome, request)
    }

    @Test func weatherForecast() async throws {
        let (outcome, request) = try await run("weather_forecast", #"{"latitude": 52.52, "longitude": 13.41}"#)
        #expect(request.uri.hasPrefix("/v1/forecast?latitude=52.52&longitude=13.41&current=temperature_2m%2C"))
        #expect(request.header("User-Agent")?.hasPrefix("mcp-gateway/") == true)
        #expect(outcome.structured?["timezone"] == "Europe/Berlin")
        #expect(outcome.structured?["daily"]?["temperature_2m_max"] == [4.1, 5, 2.2])
        #expect(outcome.structured?["generationtime_ms"] == nil)
    }

    @Test func wikipediaSummary() async throws {
        let (outcome, request) = try await run("wikipedia_summary", #"{"title": "Alan Turing"}"#)
        #expect(request.uri == "/api/rest_v1/page/summary/Alan%20Turing")
        #expect(outcome.structured == [
            "title": "Alan Turing", "description": "English computer scientist (1912–1954)",
            "extract": "Alan Mathison Turing was an English mathematician, computer scientist, logician, cryptanalyst, philosopher and theoretical biologist.",
            "content_urls": ["desktop": ["page": "https://en.wikipedia.org/wiki/Alan_Turing"]], "timestamp": "2025-01-10T08:00:00Z",
        ])
    }

    @Test func githubRepoWithAndWithoutToken() async throws {
        let (anonymous, request) = try await run("github_get_repo", #"{"owner": "apple", "repo": "swift-nio"}"#, allowEnv: ["GITHUB_TOKEN"])
        #expect(request.header("Authorization") == nil)
        #expect(request.header("Accept") == "application/vnd.github+json")
        #expect(anonymous.structured?["stargazers_count"] == 8000)
        #expect(anonymous.structured?["license"] == ["spdx_id": "Apache-2.0"])
        let (_, authenticated) = try await run("github_get_repo", #"{"owner": "apple", "repo": "swift-nio"}"#,
                                               environment: ["GITHUB_TOKEN": "ghp_test_token_1"], allowEnv: ["GITHUB_TOKEN"])
        #expect(authenticated.header("Authorization") == "Bearer ghp_test_token_1")
    }

    @Test func pypiPackage() async throws {
        let (outcome, request) = try await run("pypi_package", #"{"package": "requests"}"#)
        #expect(request.uri == "/pypi/requests/json")
        #expect(outcome.structured?["version"] == "2.32.3")
        #expect(outcome.structured?["author"] == nil)
    }

    @Test func npmScopedPackage() async throws {
        let (outcome, request) = try await run("npm_package", #"{"package": "@types/node"}"#)
        #expect(request.uri == "/%40types%2Fnode/latest")
        #expect(outcome.structured?["version"] == "22.10.5")
        #expect(outcome.structured?["dist"] == nil)
    }

    @Test func cratesIOCrate() async throws {
        let (outcome, _) = try await run("crates_io_crate", #"{"crate": "serde"}"#)
        #expect(outcome.structured?["newest_version"] == "1.0.217")
        #expect(outcome.structured?["keywords"] == nil)
    }

    @Test func exchangeRates() async throws {
        let (outcome, request) = try await run("exchange_rates_latest", #"{"base": "USD", "symbols": ["EUR", "GBP"]}"#)
        #expect(request.uri == "/latest?from=USD&to=EUR%2CGBP")
        #expect(outcome.structured?["rates"] == ["EUR": 0.97, "GBP": 0.82])
    }

    @Test func publicHolidays() async throws {
        let (outcome, request) = try await run("public_holidays", #"{"year": 2025, "country": "NO"}"#)
        #expect(request.uri == "/api/v3/PublicHolidays/2025/NO")
        let holidays = try #require(try JSONParser.parse(outcome.text).arrayValue)
        #expect(holidays.count == 2)
        #expect(holidays[1] == ["date": "2025-05-17", "localName": "Grunnlovsdagen", "name": "Constitution Day", "global": true,
                                "counties": nil, "types": ["Public"]])
    }

    @Test func hackerNewsSearch() async throws {
        let (outcome, request) = try await run("hn_search", #"{"query": "swift concurrency"}"#)
        #expect(request.uri == "/api/v1/search?query=swift%20concurrency&tags=story&hitsPerPage=10")
        let hits = try #require(try JSONParser.parse(outcome.text).arrayValue)
        #expect(hits.first?["points"] == 321)
        #expect(hits.first?["_tags"] == nil)
    }

    @Test func timeInTimezone() async throws {
        let (outcome, request) = try await run("time_in_timezone", #"{"timezone": "America/New_York"}"#)
        #expect(request.uri == "/api/Time/current/zone?timeZone=America%2FNew_York")
        #expect(outcome.structured?["dayOfWeek"] == "Wednesday")
    }

    @Test func geocodeAddress() async throws {
        let (outcome, request) = try await run("geocode_address", #"{"query": "10 Downing Street, London"}"#)
        #expect(request.uri == "/search?q=10%20Downing%20Street%2C%20London&format=jsonv2&addressdetails=1&limit=5")
        let places = try #require(try JSONParser.parse(outcome.text).arrayValue)
        #expect(places.first?["lat"] == "51.50344025")
        #expect(places.first?["licence"] == nil)
    }

    @Test func countryGraphQL() async throws {
        let (outcome, request) = try await run("country_graphql", #"{"code": "BR"}"#)
        #expect(request.method == "POST")
        #expect(try JSONParser.parse(request.body)["variables"] == ["code": "BR"])
        #expect(outcome.structured?["capital"] == "Brasília")
    }

    @Test func osvVulnerabilitiesPost() async throws {
        let (outcome, request) = try await run("osv_vulnerabilities", #"{"package": "jinja2", "ecosystem": "PyPI", "version": "2.4.1"}"#)
        #expect(request.method == "POST")
        #expect(try JSONParser.parse(request.body) == ["package": ["name": "jinja2", "ecosystem": "PyPI"], "version": "2.4.1"])
        #expect(outcome.structured?["vulns"]?.arrayValue?.first?["id"] == "GHSA-462w-v97r-4m45")
    }

    @Test func nextPublicHolidays() async throws {
        let (outcome, _) = try await run("next_public_holidays", #"{"country": "DE"}"#)
        #expect(outcome.text == #"[{"date":"2025-04-18","localName":"Karfreitag","name":"Good Friday","global":true}]"#)
    }
}
