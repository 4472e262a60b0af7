/*
 * synth_tables.c — the fixed tables the synthetic award generator draws
 * from: federal agencies with their CGAC codes, sub-tier agencies and
 * office-code prefixes, weighted roughly as their share of transaction rows
 * in the contracts and assistance downloads; product and service codes with
 * NAICS industries and typical action descriptions; assistance listings
 * (CFDA) with titles; the word lists that make recipient names (three lists
 * combined, so over 300,000 distinct names); person names and unrelated
 * firm words for exclusion-list decoys; and states for addresses.
 */
#include "spend/sg_internal.h"

const sg_agency_def doge__sg_agencies[] = {
    {"097", "Department of Defense", {"2100", "1700", "97AS"},
     {"Department of the Army", "Department of the Navy", "Defense Logistics Agency"},
     {"W912", "N00", "SP4"}, 52, 0.5},
    {"075", "Department of Health and Human Services", {"7529", "7523", "7530"},
     {"National Institutes of Health", "Centers for Disease Control and Prevention",
      "Centers for Medicare and Medicaid Services"},
     {"75N9", "75D3", "75FC"}, 6, 34},
    {"036", "Department of Veterans Affairs", {"3600", NULL, NULL},
     {"Department of Veterans Affairs", NULL, NULL}, {"36C", NULL, NULL}, 9, 2},
    {"070", "Department of Homeland Security", {"7022", "7014", NULL},
     {"Federal Emergency Management Agency", "U.S. Customs and Border Protection", NULL},
     {"70FA", "70B0", NULL}, 4, 6},
    {"047", "General Services Administration", {"4732", "4740", NULL},
     {"Federal Acquisition Service", "Public Buildings Service", NULL}, {"47QT", "47PA", NULL},
     5, 0.2},
    {"089", "Department of Energy", {"8900", NULL, NULL}, {"Department of Energy", NULL, NULL},
     {"893", NULL, NULL}, 3, 2},
    {"080", "National Aeronautics and Space Administration", {"8000", NULL, NULL},
     {"National Aeronautics and Space Administration", NULL, NULL}, {"80NS", NULL, NULL}, 2.5,
     2},
    {"012", "Department of Agriculture", {"12K3", "1205", NULL},
     {"Food and Nutrition Service", "Forest Service", NULL}, {"12FP", "1240", NULL}, 3, 12},
    {"015", "Department of Justice", {"1549", "1524", NULL},
     {"Federal Bureau of Investigation", "Federal Prison System", NULL}, {"15F0", "15B", NULL},
     2.5, 3},
    {"069", "Department of Transportation", {"6920", "6925", NULL},
     {"Federal Aviation Administration", "Federal Highway Administration", NULL},
     {"6973", "693J", NULL}, 2, 6},
    {"019", "Department of State", {"1900", NULL, NULL}, {"Department of State", NULL, NULL},
     {"19AQ", NULL, NULL}, 2, 3},
    {"014", "Department of the Interior", {"1450", "1443", NULL},
     {"Bureau of Land Management", "National Park Service", NULL}, {"140L", "140P", NULL}, 2.5,
     5},
    {"072", "Agency for International Development", {"7200", NULL, NULL},
     {"Agency for International Development", NULL, NULL}, {"72OA", NULL, NULL}, 0.6, 3},
    {"068", "Environmental Protection Agency", {"6800", NULL, NULL},
     {"Environmental Protection Agency", NULL, NULL}, {"68HE", NULL, NULL}, 0.8, 3},
    {"013", "Department of Commerce", {"1330", "1341", NULL},
     {"National Oceanic and Atmospheric Administration", "National Institute of Standards and Technology", NULL},
     {"1305", "1333", NULL}, 1, 2},
    {"020", "Department of the Treasury", {"2050", "2041", NULL},
     {"Internal Revenue Service", "Bureau of the Fiscal Service", NULL}, {"2032", "2033", NULL},
     1.2, 0.5},
    {"091", "Department of Education", {"9100", NULL, NULL},
     {"Department of Education", NULL, NULL}, {"9199", NULL, NULL}, 0.3, 4},
    {"086", "Department of Housing and Urban Development", {"8600", NULL, NULL},
     {"Department of Housing and Urban Development", NULL, NULL}, {"8661", NULL, NULL}, 0.3, 4},
    {"1601", "Department of Labor", {"1605", NULL, NULL}, {"Department of Labor", NULL, NULL},
     {"1605", NULL, NULL}, 0.5, 1.5},
    {"049", "National Science Foundation", {"4900", NULL, NULL},
     {"National Science Foundation", NULL, NULL}, {"4910", NULL, NULL}, 0.2, 3},
    {"028", "Social Security Administration", {"2800", NULL, NULL},
     {"Social Security Administration", NULL, NULL}, {"2832", NULL, NULL}, 0.5, 0.1},
    {"073", "Small Business Administration", {"7300", NULL, NULL},
     {"Small Business Administration", NULL, NULL}, {"7335", NULL, NULL}, 0.15, 1},
    {"031", "Nuclear Regulatory Commission", {"3100", NULL, NULL},
     {"Nuclear Regulatory Commission", NULL, NULL}, {"3131", NULL, NULL}, 0.1, 0.05},
    {"024", "Office of Personnel Management", {"2400", NULL, NULL},
     {"Office of Personnel Management", NULL, NULL}, {"2432", NULL, NULL}, 0.1, 0.02},
};
const int doge__sg_nagencies = (int)(sizeof doge__sg_agencies / sizeof doge__sg_agencies[0]);

const sg_product doge__sg_products[] = {
    {"D399", "IT AND TELECOM - OTHER IT AND TELECOMMUNICATIONS", "541519",
     "OTHER COMPUTER RELATED SERVICES",
     {"IGF::OT::IGF IT OPERATIONS AND MAINTENANCE SUPPORT", "ENTERPRISE HELP DESK SERVICES",
      "NETWORK OPERATIONS, SECURITY AND MONITORING", "CLOUD HOSTING SERVICES"}},
    {"R425", "SUPPORT- PROFESSIONAL: ENGINEERING/TECHNICAL", "541330", "ENGINEERING SERVICES",
     {"ENGINEERING AND TECHNICAL SUPPORT SERVICES", "SYSTEMS ENGINEERING AND INTEGRATION",
      "TEST AND EVALUATION SUPPORT", "PROGRAM MANAGEMENT SUPPORT SERVICES"}},
    {"R408", "SUPPORT- PROFESSIONAL: PROGRAM MANAGEMENT/SUPPORT", "541611",
     "ADMINISTRATIVE MANAGEMENT AND GENERAL MANAGEMENT CONSULTING SERVICES",
     {"PROGRAM MANAGEMENT SUPPORT", "ACQUISITION SUPPORT SERVICES",
      "FINANCIAL MANAGEMENT, AUDIT AND ADVISORY SUPPORT", "STRATEGIC PLANNING SUPPORT"}},
    {"7030", "IT AND TELECOM - SOFTWARE", "511210", "SOFTWARE PUBLISHERS",
     {"SOFTWARE LICENSES AND MAINTENANCE", "RENEWAL OF SOFTWARE SUBSCRIPTIONS",
      "ENTERPRISE LICENSE AGREEMENT", "GEOSPATIAL SOFTWARE LICENSES"}},
    {"7010", "IT AND TELECOM - END USER: HELP DESK; WORKSTATIONS", "334111",
     "ELECTRONIC COMPUTER MANUFACTURING",
     {"LAPTOP COMPUTERS AND DOCKING STATIONS", "DESKTOP WORKSTATIONS REFRESH",
      "RUGGEDIZED TABLETS", "MONITORS AND PERIPHERALS"}},
    {"6515", "MEDICAL AND SURGICAL INSTRUMENTS, EQUIPMENT, AND SUPPLIES", "339112",
     "SURGICAL AND MEDICAL INSTRUMENT MANUFACTURING",
     {"MEDICAL SUPPLIES", "SURGICAL INSTRUMENTS", "PATIENT MONITORING EQUIPMENT",
      "DIAGNOSTIC IMAGING SUPPLIES"}},
    {"6505", "DRUGS AND BIOLOGICALS", "325412", "PHARMACEUTICAL PREPARATION MANUFACTURING",
     {"PHARMACEUTICALS", "VACCINES", "PRIME VENDOR PHARMACEUTICAL DISTRIBUTION",
      "BLOOD PRODUCTS"}},
    {"Y1AA", "CONSTRUCTION OF OFFICE BUILDINGS", "236220", "COMMERCIAL AND INSTITUTIONAL BUILDING CONSTRUCTION",
     {"CONSTRUCTION OF ADMINISTRATIVE BUILDING", "BUILDING RENOVATION, PHASE 2",
      "REPAIR ROOF AND HVAC SYSTEMS", "DESIGN-BUILD OF TRAINING FACILITY"}},
    {"Z2AA", "REPAIR OR ALTERATION OF OFFICE BUILDINGS", "238220",
     "PLUMBING, HEATING, AND AIR-CONDITIONING CONTRACTORS",
     {"HVAC REPAIR AND MAINTENANCE", "ELEVATOR MODERNIZATION", "FIRE ALARM SYSTEM UPGRADE",
      "ROOF REPLACEMENT"}},
    {"S206", "HOUSEKEEPING- GUARD", "561612", "SECURITY GUARDS AND PATROL SERVICES",
     {"PROTECTIVE SECURITY OFFICER SERVICES", "ARMED GUARD SERVICES",
      "SECURITY SCREENING SERVICES", "ACCESS CONTROL SERVICES"}},
    {"S201", "HOUSEKEEPING- CUSTODIAL JANITORIAL", "561720", "JANITORIAL SERVICES",
     {"CUSTODIAL SERVICES", "JANITORIAL AND GROUNDS MAINTENANCE", "WASTE REMOVAL",
      "PEST CONTROL SERVICES"}},
    {"1560", "AIRFRAME STRUCTURAL COMPONENTS", "336413",
     "OTHER AIRCRAFT PARTS AND AUXILIARY EQUIPMENT MANUFACTURING",
     {"AIRCRAFT SPARE PARTS", "WING ASSEMBLY REPAIR KITS", "LANDING GEAR COMPONENTS",
      "ENGINE NACELLE PARTS"}},
    {"2320", "TRUCKS AND TRUCK TRACTORS, WHEELED", "336120", "HEAVY DUTY TRUCK MANUFACTURING",
     {"TACTICAL VEHICLES", "MEDIUM TACTICAL TRUCK PARTS", "VEHICLE MAINTENANCE KITS",
      "FLEET VEHICLES"}},
    {"8940", "SPECIAL DIETARY FOODS AND FOOD SPECIALTY PREPARATIONS", "311999",
     "ALL OTHER MISCELLANEOUS FOOD MANUFACTURING",
     {"OPERATIONAL RATIONS", "SUBSISTENCE PRIME VENDOR", "FRESH FRUITS AND VEGETABLES",
      "DAIRY PRODUCTS"}},
    {"V231", "TRANSPORTATION/TRAVEL/RELOCATION- TRAVEL/LODGING/RECRUITMENT: LODGING, HOTEL/MOTEL",
     "721110", "HOTELS (EXCEPT CASINO HOTELS) AND MOTELS",
     {"LODGING FOR TRAINING CONFERENCE", "HOTEL ROOMS FOR DEPLOYED PERSONNEL",
      "CONFERENCE SPACE AND LODGING", "EMERGENCY LODGING"}},
    {"B505", "SPECIAL STUDIES/ANALYSIS- COST BENEFIT", "541720",
     "RESEARCH AND DEVELOPMENT IN THE SOCIAL SCIENCES AND HUMANITIES",
     {"PROGRAM EVALUATION STUDY", "COST BENEFIT ANALYSIS", "SURVEY RESEARCH AND ANALYSIS",
      "DATA COLLECTION AND ANALYSIS"}},
    {"AJ11", "GENERAL SCIENCE AND TECHNOLOGY R&D SERVICES; BASIC RESEARCH", "541715",
     "RESEARCH AND DEVELOPMENT IN THE PHYSICAL, ENGINEERING, AND LIFE SCIENCES",
     {"BASIC RESEARCH IN MATERIALS SCIENCE", "RESEARCH AND DEVELOPMENT SUPPORT",
      "LABORATORY RESEARCH SERVICES", "CLINICAL RESEARCH SUPPORT"}},
    {"J065", "MAINT/REPAIR/REBUILD OF EQUIPMENT- MEDICAL, DENTAL", "811219",
     "OTHER ELECTRONIC AND PRECISION EQUIPMENT REPAIR AND MAINTENANCE",
     {"MAINTENANCE OF MEDICAL EQUIPMENT", "SERVICE CONTRACT FOR MRI SYSTEMS",
      "PREVENTIVE MAINTENANCE, IMAGING EQUIPMENT", "REPAIR OF LAB ANALYZERS"}},
    {"U009", "EDUCATION/TRAINING- GENERAL", "611430", "PROFESSIONAL AND MANAGEMENT DEVELOPMENT TRAINING",
     {"LEADERSHIP TRAINING", "CYBERSECURITY TRAINING COURSES", "TRAINING SUPPORT SERVICES",
      "E-LEARNING CONTENT DEVELOPMENT"}},
    {"7510", "OFFICE SUPPLIES", "424120", "STATIONERY AND OFFICE SUPPLIES MERCHANT WHOLESALERS",
     {"OFFICE SUPPLIES", "TONER CARTRIDGES", "PAPER PRODUCTS", "FURNITURE AND OFFICE SUPPLIES"}},
};
const int doge__sg_nproducts = (int)(sizeof doge__sg_products / sizeof doge__sg_products[0]);

const sg_program doge__sg_programs[] = {
    {"93.855", "ALLERGY AND INFECTIOUS DISEASES RESEARCH",
     {"RESEARCH ON ANTIMICROBIAL RESISTANCE", "VACCINE RESEARCH CENTER COOPERATIVE AGREEMENT",
      "IMMUNE RESPONSE STUDY"}},
    {"93.837", "CARDIOVASCULAR DISEASES RESEARCH",
     {"HEART FAILURE CLINICAL TRIAL NETWORK", "CARDIOVASCULAR RISK RESEARCH",
      "HYPERTENSION PREVENTION STUDY"}},
    {"93.778", "MEDICAL ASSISTANCE PROGRAM",
     {"MEDICAL ASSISTANCE PROGRAM", "MEDICAID ADMINISTRATION", "STATE MEDICAID GRANT"}},
    {"10.555", "NATIONAL SCHOOL LUNCH PROGRAM",
     {"NATIONAL SCHOOL LUNCH PROGRAM", "SCHOOL MEALS FORMULA GRANT",
      "CHILD NUTRITION CLUSTER"}},
    {"84.010", "TITLE I GRANTS TO LOCAL EDUCATIONAL AGENCIES",
     {"TITLE I GRANTS TO LOCAL EDUCATIONAL AGENCIES", "TITLE I, PART A",
      "IMPROVING BASIC PROGRAMS"}},
    {"20.205", "HIGHWAY PLANNING AND CONSTRUCTION",
     {"HIGHWAY PLANNING AND CONSTRUCTION", "BRIDGE REPLACEMENT", "SURFACE TRANSPORTATION BLOCK GRANT"}},
    {"97.036", "DISASTER GRANTS - PUBLIC ASSISTANCE (PRESIDENTIALLY DECLARED DISASTERS)",
     {"PUBLIC ASSISTANCE, DEBRIS REMOVAL", "PERMANENT WORK, ROADS AND BRIDGES",
      "EMERGENCY PROTECTIVE MEASURES"}},
    {"14.871", "SECTION 8 HOUSING CHOICE VOUCHERS",
     {"HOUSING CHOICE VOUCHERS", "HOUSING ASSISTANCE PAYMENTS", "ADMINISTRATIVE FEES"}},
    {"47.076", "EDUCATION AND HUMAN RESOURCES",
     {"STEM EDUCATION RESEARCH", "GRADUATE RESEARCH FELLOWSHIP PROGRAM",
      "UNDERGRADUATE RESEARCH EXPERIENCES"}},
    {"19.345", "INTERNATIONAL PROGRAMS TO SUPPORT DEMOCRACY, HUMAN RIGHTS AND LABOR",
     {"DEMOCRACY AND GOVERNANCE PROGRAM", "CIVIL SOCIETY STRENGTHENING",
      "MEDIA FREEDOM INITIATIVE"}},
    {"98.001", "USAID FOREIGN ASSISTANCE FOR PROGRAMS OVERSEAS",
     {"FOOD SECURITY PROGRAM", "HEALTH SYSTEMS STRENGTHENING", "DEMOCRACY, RIGHTS AND GOVERNANCE"}},
    {"66.458", "CLEAN WATER STATE REVOLVING FUND",
     {"CLEAN WATER STATE REVOLVING FUND CAPITALIZATION", "WASTEWATER INFRASTRUCTURE",
      "STORMWATER PROJECTS"}},
    {"81.041", "STATE ENERGY PROGRAM",
     {"STATE ENERGY PROGRAM", "ENERGY EFFICIENCY UPGRADES", "GRID RESILIENCE GRANT"}},
    {"17.258", "WIOA ADULT PROGRAM",
     {"WIOA ADULT PROGRAM", "WORKFORCE TRAINING SERVICES", "DISLOCATED WORKER SERVICES"}},
};
const int doge__sg_nprograms = (int)(sizeof doge__sg_programs / sizeof doge__sg_programs[0]);

const char *const doge__sg_words_a[] = {
    "ACME", "APEX", "SUMMIT", "LIBERTY", "PATRIOT", "EAGLE", "PINNACLE", "VECTOR", "MERIDIAN",
    "KEYSTONE", "FRONTIER", "CARDINAL", "SENTINEL", "HORIZON", "BEACON", "CORNERSTONE",
    "TRIDENT", "NORTHSTAR", "REDWOOD", "IRONCLAD", "BLUEWATER", "GRANITE", "STERLING", "VANGUARD",
    "CASCADE", "ALLIANCE", "PRECISION", "INTEGRITY", "CAPSTONE", "ASCEND", "BRIGHTPATH",
    "CLEARVIEW", "COASTAL", "COMPASS", "CONSTELLATION", "DELTA", "DOMINION", "ELEVATE", "EMPIRE",
    "EVEREST", "FALCON", "FIDELITY", "FOCUS", "FORTRESS", "FREEDOM", "GATEWAY", "GENESIS",
    "GLOBAL", "GOLDEN", "GUARDIAN", "HALLMARK", "HERITAGE", "HIGHLAND", "INDEPENDENCE",
    "INNOVATIVE", "JUNIPER", "KINETIC", "LANDMARK", "LEGACY", "LIGHTHOUSE", "MAGNOLIA",
    "MAVERICK", "MILESTONE", "MONARCH", "NAVIGATOR", "NEXUS", "NOBLE", "OAKTREE", "OMNI",
    "ORION", "PALADIN", "PANORAMA", "PARAGON", "PEGASUS", "PIONEER", "POLARIS", "PREMIER",
    "PRIME", "QUANTUM", "RADIANT", "RANGER", "RELIANT", "RIDGELINE", "SAGE", "SAPPHIRE",
    "SEQUOIA", "SHIELD", "SIERRA", "SKYLINE", "SOVEREIGN", "SPARTAN", "STALWART", "STRATEGIC",
    "SUNRISE", "TANDEM", "TITAN", "TRAILBLAZER", "TRINITY", "TRUENORTH", "UNITY", "VALIANT",
    "VERITAS", "VISTA", "WAYPOINT", "WESTGATE", "WILDCAT", "ZENITH", "ALPINE", "AMBER",
    "ARROWHEAD", "BAYSIDE", "BLACKSTONE", "BOULDER", "BRIDGEWAY", "CANYON", "CEDAR", "CITADEL",
    "CRESCENT", "CRYSTAL", "DIAMOND", "EMERALD",
};
const int doge__sg_nwords_a = (int)(sizeof doge__sg_words_a / sizeof doge__sg_words_a[0]);

const char *const doge__sg_words_g[] = {
    NULL, "ATLANTIC", "PACIFIC", "MIDWEST", "GULF", "MOUNTAIN", "PRAIRIE", "NORTHERN",
    "SOUTHERN", "EASTERN", "WESTERN", "CAPITAL", "POTOMAC", "CHESAPEAKE", "TIDEWATER",
    "PIEDMONT", "OZARK", "SONORAN", "CASCADIA", "APPALACHIAN", "GREAT LAKES", "BAYOU", "DELMARVA",
    "HUDSON", "SHENANDOAH", "BLUE RIDGE", "RIO GRANDE", "SIERRA NEVADA", "COLUMBIA", "MISSOURI",
    "OHIO VALLEY", "TENNESSEE", "CAROLINA", "DAKOTA", "YUKON", "ALAMO", "MOJAVE", "PUGET",
    "SAVANNAH", "KEYS", "MESA",
};
const int doge__sg_nwords_g = (int)(sizeof doge__sg_words_g / sizeof doge__sg_words_g[0]);

const char *const doge__sg_words_b[] = {
    "SOLUTIONS", "TECHNOLOGIES", "SYSTEMS", "CONSULTING", "ENGINEERING", "HEALTH", "LOGISTICS",
    "SERVICES", "GROUP", "ASSOCIATES", "ENTERPRISES", "INDUSTRIES", "PARTNERS", "ANALYTICS",
    "DEFENSE", "AEROSPACE", "CONSTRUCTION", "MEDICAL", "SUPPLY", "RESEARCH", "DYNAMICS",
    "LABS", "NETWORKS", "SECURITY", "INFRASTRUCTURE", "MANAGEMENT", "SCIENCES", "ENERGY",
    "ENVIRONMENTAL", "FACILITIES", "INTEGRATORS", "MARINE", "BUILDERS", "DATA", "CYBER",
    "TRAINING", "STRATEGIES", "INNOVATIONS", "CONTRACTORS", "MANUFACTURING", "PRODUCTS",
    "DISTRIBUTORS", "ADVISORS", "RESOURCES", "MECHANICAL", "ELECTRIC", "COMMUNICATIONS",
    "SOFTWARE", "ROBOTICS", "PHARMA", "BIOSCIENCES", "DIAGNOSTICS", "TRANSPORT", "AVIATION",
    "FOODS", "INTERIORS", "CONTROLS", "TACTICAL", "OPTICS", "GEOSPATIAL",
};
const int doge__sg_nwords_b = (int)(sizeof doge__sg_words_b / sizeof doge__sg_words_b[0]);

const char *const doge__sg_suffixes[] = {"LLC", "INC", "INC.", "CORP", "CORPORATION", "LLC",
                                         "L.L.C.", "", "CO", "LTD"};
const int doge__sg_nsuffixes = (int)(sizeof doge__sg_suffixes / sizeof doge__sg_suffixes[0]);

const char *const doge__sg_first_names[] = {
    "JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID",
    "ELIZABETH", "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS",
    "SARAH", "CARLOS", "MARIA", "NGUYEN", "WEI", "AISHA", "DMITRI", "PRIYA", "KWAME",
};
const int doge__sg_nfirst = (int)(sizeof doge__sg_first_names / sizeof doge__sg_first_names[0]);
const char *const doge__sg_last_names[] = {
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ",
    "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR",
    "MOORE", "JACKSON", "MARTIN", "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ",
    "CLARK", "RAMIREZ", "LEWIS", "ROBINSON", "OBRIEN", "KOWALSKI", "CHEN", "PATEL", "OKAFOR",
};
const int doge__sg_nlast = (int)(sizeof doge__sg_last_names / sizeof doge__sg_last_names[0]);

/* Firm words no recipient name uses, for exclusion decoys. */
const char *const doge__sg_decoy_words[] = {
    "QUICKSILVER", "BRASSWORKS", "MOONLIGHT", "COPPERHEAD", "SILVERADO", "THUNDERBIRD",
    "BLUEBONNET", "HUMMINGBIRD", "NIGHTHAWK", "STARLIGHT", "WINDMILL", "RAINMAKER",
    "GOLDLEAF", "PINEWOOD", "RIVERBEND", "STONEBRIDGE",
};
const int doge__sg_ndecoy = (int)(sizeof doge__sg_decoy_words / sizeof doge__sg_decoy_words[0]);

const char *const doge__sg_states[][3] = {
    {"VA", "VIRGINIA", "ARLINGTON"},       {"MD", "MARYLAND", "BETHESDA"},
    {"CA", "CALIFORNIA", "SAN DIEGO"},     {"TX", "TEXAS", "SAN ANTONIO"},
    {"FL", "FLORIDA", "TAMPA"},            {"DC", "DISTRICT OF COLUMBIA", "WASHINGTON"},
    {"AL", "ALABAMA", "HUNTSVILLE"},       {"CO", "COLORADO", "COLORADO SPRINGS"},
    {"WA", "WASHINGTON", "SEATTLE"},       {"OH", "OHIO", "DAYTON"},
    {"GA", "GEORGIA", "ATLANTA"},          {"NY", "NEW YORK", "NEW YORK"},
    {"PA", "PENNSYLVANIA", "PHILADELPHIA"}, {"MA", "MASSACHUSETTS", "BOSTON"},
    {"NC", "NORTH CAROLINA", "RALEIGH"},   {"AZ", "ARIZONA", "TUCSON"},
    {"IL", "ILLINOIS", "CHICAGO"},         {"NM", "NEW MEXICO", "ALBUQUERQUE"},
    {"UT", "UTAH", "OGDEN"},               {"MO", "MISSOURI", "ST. LOUIS"},
};
const int doge__sg_nstates = (int)(sizeof doge__sg_states / sizeof doge__sg_states[0]);
