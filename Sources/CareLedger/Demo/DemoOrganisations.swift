/// The places and organisations of the demo programme: the 14 West Midlands local authorities,
/// partners of every kind, and care providers.
enum DemoOrganisations {
    static let localAuthorities: [(code: String, name: String)] = [
        ("E08000025", "Birmingham"), ("E08000026", "Coventry"), ("E08000027", "Dudley"), ("E08000028", "Sandwell"),
        ("E08000029", "Solihull"), ("E08000030", "Walsall"), ("E08000031", "Wolverhampton"),
        ("E06000019", "Herefordshire"), ("E06000020", "Telford and Wrekin"), ("E06000021", "Stoke-on-Trent"),
        ("E06000051", "Shropshire"), ("E10000028", "Staffordshire"), ("E10000031", "Warwickshire"),
        ("E10000034", "Worcestershire"),
    ]

    /// (id, name, kind, laCode)
    static let partners: [(id: String, name: String, kind: String, la: String?)] = [
        ("PT-01", "West Midlands International Recruitment Hub", "hub", "E08000025"),
        ("PT-02", "Birmingham City Council Adult Social Care", "localAuthority", "E08000025"),
        ("PT-03", "Coventry City Council Adult Services", "localAuthority", "E08000026"),
        ("PT-04", "Sandwell Council Adult Social Care", "localAuthority", "E08000028"),
        ("PT-05", "Staffordshire County Council Care Commissioning", "localAuthority", "E10000028"),
        ("PT-06", "Worcestershire County Council Adult Services", "localAuthority", "E10000034"),
        ("PT-07", "Wolverhampton Council Adult Services", "localAuthority", "E08000031"),
        ("PT-08", "Citizens Advice Birmingham", "adviceService", "E08000025"),
        ("PT-09", "Citizens Advice Coventry and Warwickshire", "adviceService", "E08000026"),
        ("PT-10", "Refugee and Migrant Centre", "communityOrg", "E08000031"),
        ("PT-11", "Filipino Care Workers Association", "communityOrg", nil),
        ("PT-12", "Zimbabwean Community Network West Midlands", "communityOrg", "E08000030"),
        ("PT-13", "St Chad's Cathedral Migrant Support", "faithGroup", "E08000025"),
        ("PT-14", "Guru Nanak Gurdwara Welfare Team", "faithGroup", "E08000028"),
        ("PT-15", "Birmingham Housing Options", "housing", "E08000025"),
        ("PT-16", "Stoke-on-Trent Housing Solutions", "housing", "E06000021"),
        ("PT-17", "Care Jobs Platform (LIFTED)", "digitalPlatform", nil),
        ("PT-18", "Employment Rights Legal Clinic", "legalHr", "E08000026"),
        ("PT-19", "Ethical Recruitment Partnership", "recruitmentAgency", nil),
        ("PT-20", "NHS Talking Therapies West Midlands", "healthService", nil),
        ("PT-21", "Shropshire Community Support Hub", "communityOrg", "E06000051"),
    ]

    static let providerNames = [
        "Brindley Homecare", "Penn Supported Living", "Cannock Domiciliary Care", "Severn Valley Care Homes",
        "Arden Nursing Home", "Black Country Home Support", "Malvern Hills Care", "Trent Vale Residential",
        "Wrekin Home Care", "Lickey Hills Nursing", "Tamworth Care Partners", "Ludlow House",
        "Edgbaston Care Services", "Kenilworth Lodge", "Walsall Community Care", "Hereford Homecare",
    ]
}
