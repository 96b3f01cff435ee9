/// The 2005 clusters, their LSPs and SHAs (DOMAIN.md §2), and towns used to give generated
/// LHCs, trusts and sites believable names.
public enum NationalGeography {
    public struct ClusterInfo: Sendable {
        public var code: String
        public var name: String
        public var lspCode: String
        public var shas: [SHAInfo]
    }

    public struct SHAInfo: Sendable {
        public var name: String
        public var towns: [String]
    }

    public struct SupplierInfo: Sendable {
        public var code: String
        public var name: String
        public var role: SupplierRole
    }

    public static let suppliers: [SupplierInfo] = [
        .init(code: "SACN", name: "Accenture", role: .lsp),
        .init(code: "SCSC", name: "CSC Alliance", role: .lsp),
        .init(code: "SBTC", name: "BT Capital Care Alliance", role: .lsp),
        .init(code: "SFUJ", name: "Fujitsu Alliance", role: .lsp),
        .init(code: "SBTS", name: "BT (NHS CRS Spine)", role: .nasp),
        .init(code: "SATO", name: "Atos Origin", role: .nasp),
        .init(code: "SCWC", name: "Cable and Wireless", role: .nasp),
        .init(code: "SBTN", name: "BT N3", role: .nisp),
        .init(code: "SEMI", name: "EMIS", role: .esp),
        .init(code: "STPP", name: "TPP", role: .esp),
        .init(code: "SINP", name: "InPS", role: .esp),
        .init(code: "SISO", name: "iSOFT", role: .esp),
    ]

    public static let clusters: [ClusterInfo] = [
        .init(code: "CNE", name: "North East", lspCode: "SACN", shas: [
            .init(name: "Northumberland, Tyne and Wear", towns: ["Newcastle", "Sunderland", "Gateshead", "North Tyneside", "Hexham", "South Tyneside"]),
            .init(name: "County Durham and Tees Valley", towns: ["Durham", "Darlington", "Middlesbrough", "Hartlepool", "Stockton"]),
            .init(name: "North and East Yorkshire and Northern Lincolnshire", towns: ["York", "Hull", "Scarborough", "Grimsby", "Scunthorpe", "Harrogate"]),
            .init(name: "West Yorkshire", towns: ["Leeds", "Bradford", "Wakefield", "Huddersfield", "Halifax"]),
            .init(name: "South Yorkshire", towns: ["Sheffield", "Doncaster", "Rotherham", "Barnsley"]),
        ]),
        .init(code: "CEA", name: "Eastern", lspCode: "SACN", shas: [
            .init(name: "Trent", towns: ["Nottingham", "Derby", "Lincoln", "Mansfield", "Chesterfield"]),
            .init(name: "Leicestershire, Northamptonshire and Rutland", towns: ["Leicester", "Northampton", "Kettering", "Loughborough", "Oakham"]),
            .init(name: "Norfolk, Suffolk and Cambridgeshire", towns: ["Norwich", "Ipswich", "Cambridge", "Peterborough", "King's Lynn", "Bury St Edmunds"]),
            .init(name: "Bedfordshire and Hertfordshire", towns: ["Bedford", "Luton", "St Albans", "Stevenage", "Watford"]),
            .init(name: "Essex", towns: ["Chelmsford", "Colchester", "Southend", "Basildon", "Harlow"]),
        ]),
        .init(code: "CNW", name: "North West and West Midlands", lspCode: "SCSC", shas: [
            .init(name: "Cumbria and Lancashire", towns: ["Carlisle", "Preston", "Blackpool", "Lancaster", "Blackburn", "Burnley"]),
            .init(name: "Greater Manchester", towns: ["Manchester", "Salford", "Stockport", "Bolton", "Wigan", "Oldham"]),
            .init(name: "Cheshire and Merseyside", towns: ["Liverpool", "Chester", "Warrington", "Wirral", "St Helens"]),
            .init(name: "Shropshire and Staffordshire", towns: ["Shrewsbury", "Stoke-on-Trent", "Stafford", "Telford", "Burton"]),
            .init(name: "Birmingham and the Black Country", towns: ["Birmingham", "Wolverhampton", "Dudley", "Walsall", "Sandwell"]),
            .init(name: "West Midlands South", towns: ["Coventry", "Warwick", "Worcester", "Hereford", "Redditch"]),
        ]),
        .init(code: "CLD", name: "London", lspCode: "SBTC", shas: [
            .init(name: "North West London", towns: ["Ealing", "Brent", "Hillingdon", "Harrow", "Hammersmith"]),
            .init(name: "North Central London", towns: ["Camden", "Islington", "Barnet", "Enfield", "Haringey"]),
            .init(name: "North East London", towns: ["Hackney", "Newham", "Tower Hamlets", "Redbridge", "Havering"]),
            .init(name: "South East London", towns: ["Greenwich", "Lewisham", "Southwark", "Lambeth", "Bromley"]),
            .init(name: "South West London", towns: ["Croydon", "Kingston", "Wandsworth", "Sutton", "Richmond"]),
        ]),
        .init(code: "CSO", name: "Southern", lspCode: "SFUJ", shas: [
            .init(name: "Thames Valley", towns: ["Oxford", "Reading", "Milton Keynes", "Slough", "Aylesbury"]),
            .init(name: "Hampshire and Isle of Wight", towns: ["Southampton", "Portsmouth", "Winchester", "Basingstoke", "Isle of Wight"]),
            .init(name: "Kent and Medway", towns: ["Maidstone", "Canterbury", "Medway", "Ashford", "Dartford"]),
            .init(name: "Surrey and Sussex", towns: ["Guildford", "Brighton", "Crawley", "Worthing", "Eastbourne"]),
            .init(name: "Avon, Gloucestershire and Wiltshire", towns: ["Bristol", "Bath", "Gloucester", "Swindon", "Salisbury"]),
            .init(name: "South West Peninsula", towns: ["Plymouth", "Exeter", "Truro", "Torbay", "Barnstaple"]),
            .init(name: "Dorset and Somerset", towns: ["Bournemouth", "Poole", "Dorchester", "Taunton", "Yeovil"]),
        ]),
    ]

    static let streets = [
        "High Street", "Church Lane", "Station Road", "Park Road", "Victoria Road", "Mill Lane", "London Road",
        "King Street", "Queen's Road", "Market Place", "The Green", "Manor Road", "Elm Tree", "Oak Tree",
        "Riverside", "Beech House", "Abbey", "Priory", "Castle", "Bridge Street", "Albion", "Springfield",
        "Westgate", "Northgate", "Ashfield", "Brookside", "Hillside", "Orchard", "Meadowbank", "Woodlands",
    ]
    static let practiceKinds = ["Surgery", "Medical Centre", "Health Centre", "Practice", "Family Practice"]
    static let hospitalNames = ["General Hospital", "Royal Infirmary", "St Mary's Hospital", "Memorial Hospital",
                                "Community Hospital", "Queen Elizabeth Hospital", "St James's Hospital"]
    static let districtSuffixes = ["", " North", " South", " East", " West", " Central", " Rural", " City"]
}
