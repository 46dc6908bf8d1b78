import FlowrunExpressions
/// Deterministic demo records: the same search or domain always gives the same people and stacks.
enum DemoData {
    static let firstNames = [
        "Alice", "Bruno", "Chloé", "Daniel", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas",
        "Karin", "Luca", "Maya", "Nils", "Olga", "Pablo", "Quentin", "Rosa", "Samir", "Tanja",
        "Ugo", "Vera", "Walter", "Xenia", "Yusuf", "Zoé", "Arno", "Bea", "Cyril", "Dora",
        "Emil", "Fanny", "Gael", "Hanna", "Ivo", "Julia", "Kemal",
    ]
    static let lastNames = [
        "Martin", "Schmidt", "Rossi", "Dubois", "Novak", "Jansen", "Costa", "Keller", "Moreau",
        "Berg", "Fischer", "Lambert", "Horvat", "Weber", "Ricci", "Nielsen", "Bauer", "Leroy",
        "Wagner", "Marino", "Vidal", "Kowalski", "Roux", "Hofmann", "Lund", "Silva", "Meyer",
        "Bianchi", "Girard", "Koch", "Sala", "Petit", "Brandt", "Ferri", "Olsen", "Garnier", "Vogel",
    ]
    static let titles = [
        "Founder & CEO", "Head of Growth", "VP Sales", "CTO", "Head of Marketing", "COO",
        "Revenue Operations Lead", "Head of Partnerships",
    ]
    static let companyStems = [
        "Northwind", "Bluepeak", "Copperleaf", "Driftwood", "Evergreen", "Fieldstone", "Goldcrest",
        "Harborline", "Ironbark", "Juniper", "Kestrel", "Lakeshore", "Moonrise", "Nimbus", "Oakridge",
        "Pinecone", "Quartz", "Redwood", "Silverline", "Tidewater", "Upland", "Vantage", "Willow",
        "Yellowfin", "Zephyr",
    ]
    static let companySuffixes = ["Analytics", "Labs", "Software", "Cloud", "Systems", "Data", "AI"]
    static let cities = ["Berlin", "Paris", "Amsterdam", "Lisbon", "Milan", "Vienna", "Zurich", "Madrid"]

    /// FNV-1a over the UTF-8 bytes: stable across runs and platforms (unlike `hashValue`).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    static func slug(_ text: String) -> String {
        let mapped = text.lowercased().map { c -> Character in
            switch c {
            case "é", "è", "ê": "e"
            case "a"..."z", "0"..."9": c
            default: "-"
            }
        }
        return String(mapped)
    }

    /// The profiles a LinkedIn search export finds for `search`: `count` distinct people.
    ///
    /// Fields follow PhantomBuster's LinkedIn Search Export result object (profileUrl, fullName,
    /// firstName, lastName, title/job, companyName, location, query, timestamp) plus the email found
    /// by its email-discovery option and the company website used for BuiltWith.
    static func profiles(search: String, count: Int, timestamp: String) -> [JSONValue] {
        let seed = Int(stableHash(search) % 1000)
        return (0..<count).map { index in
            let n = seed + index
            let first = firstNames[n % firstNames.count]
            let last = lastNames[(n * 7 + 3) % lastNames.count]
            let stem = companyStems[(n * 3) % companyStems.count]
            let suffix = companySuffixes[(n / companyStems.count + n) % companySuffixes.count]
            let company = "\(stem) \(suffix)"
            let domain = "\(slug(stem))-\(slug(suffix)).example"
            let handle = "\(slug(first))-\(slug(last))-\(String(stableHash("\(search)#\(index)") % 100_000))"
            return [
                "profileUrl": .string("https://www.linkedin.com/in/\(handle)/"),
                "fullName": .string("\(first) \(last)"),
                "firstName": .string(first),
                "lastName": .string(last),
                "title": .string(titles[n % titles.count]),
                "job": .string("\(titles[n % titles.count]) at \(company)"),
                "companyName": .string(company),
                "companyUrl": .string("https://www.\(domain)"),
                "companyDomain": .string(domain),
                "email": .string("\(slug(first)).\(slug(last))@\(domain)"),
                "location": .string(cities[n % cities.count]),
                "connectionDegree": "3rd",
                "query": .string(search),
                "timestamp": .string(timestamp),
            ]
        }
    }

    static let technologies: [(name: String, tag: String, category: String)] = [
        ("HubSpot", "analytics", "Marketing Automation"), ("Salesforce", "analytics", "CRM"),
        ("Stripe", "payment", "Payments Processor"), ("Segment", "analytics", "Customer Data Platform"),
        ("Intercom", "widgets", "Live Chat"), ("Google Analytics", "analytics", "Application Performance"),
        ("Cloudflare", "cdn", "CDN"), ("React", "javascript", "JavaScript Library"),
        ("Next.js", "framework", "Framework"), ("Amazon Web Services", "hosting", "Cloud Hosting"),
        ("Zendesk", "widgets", "Ticketing System"), ("Shopify", "shop", "Hosted Solution"),
        ("Mixpanel", "analytics", "Product Analytics"), ("Hotjar", "analytics", "Heat Maps"),
    ]

    /// The technologies BuiltWith reports for `domain`: four to seven, chosen by the domain's hash.
    static func technologies(for domain: String) -> [(name: String, tag: String, category: String)] {
        let hash = stableHash(domain.lowercased())
        let count = 4 + Int(hash % 4)
        var chosen: [(name: String, tag: String, category: String)] = []
        var index = Int((hash >> 8) % UInt64(technologies.count))
        while chosen.count < count {
            chosen.append(technologies[index % technologies.count])
            index += 3
        }
        return chosen
    }
}
