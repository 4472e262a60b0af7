/*
 * synth_workforce.c — `doge synth workforce`: a deterministic synthetic
 * federal workforce as roster CSV (see doge/synth.h for its shape). The
 * embedded tables are name pools ordered roughly by frequency, real-sounding
 * departments and component agencies with their parent, and titles and
 * duty stations. Generation is one pass over the departments in size order:
 * draw the department's tree (breadth first, spans 5..15), then for each
 * member in tree order draw a name, number its address against the others
 * of that department (a hash map of local parts, cleared per department,
 * since domains differ), maybe an alias, a title by level and a location,
 * and append the row to a buffer flushed in 1 MiB writes. Memory is the map
 * and two arrays sized for the largest department.
 */
#include "doge/synth.h"
#include "doge/buf.h"
#include "doge/csv.h"
#include "doge/map.h"
#include "doge/progress.h"
#include "doge/roster.h"
#include "internal.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- embedded tables ---------------------------------------------------- */

/* First names, most common first, drawn from many origins. */
static const char *const first_names[] = {
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "María", "José", "William", "Barbara", "Wei", "Richard", "Susan", "Joseph",
    "Jessica", "Mohammed", "Thomas", "Sarah", "Christopher", "Karen", "Juan", "Charles", "Lisa",
    "Daniel", "Nancy", "Priya", "Matthew", "Betty", "Anthony", "Sandra", "Luis", "Mark",
    "Margaret", "Donald", "Ashley", "Fatima", "Steven", "Kimberly", "Andrew", "Emily", "Carlos",
    "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Ana", "Kevin", "Amanda", "Brian",
    "Melissa", "Min-jun", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca",
    "Jorge", "Jason", "Sharon", "Edward", "Laura", "Rahul", "Jeffrey", "Cynthia", "Ryan",
    "Dorothy", "Zoë", "Jacob", "Amy", "Gary", "Kathleen", "Nicholas", "Angela", "Ahmed", "Eric",
    "Shirley", "Jonathan", "Emma", "Lucía", "Stephen", "Brenda", "Larry", "Pamela", "Chinedu",
    "Justin", "Nicole", "Scott", "Anna", "Brandon", "Samantha", "Benjamin", "Katherine",
    "Alejandro", "Samuel", "Christine", "Gregory", "Debra", "Alexander", "Rachel", "Siobhán",
    "Patrick", "Carolyn", "Frank", "Janet", "Raymond", "Sofía", "Jack", "Olivia", "Dennis",
    "Heather", "Jerry", "Helen", "Tyler", "Catherine", "Aaron", "Diane", "Chloé", "Miguel",
    "Guadalupe", "Jesús", "Renée", "François", "Ngozi", "Hiroshi", "Yuki", "Aisha", "Omar",
    "Layla", "Anjali", "Vikram", "Xiaoling", "Ming", "Thanh", "Linh", "Kwame", "Ama", "Björn",
    "Søren", "Łukasz", "Małgorzata", "Seán", "Aoife", "Niamh", "Pádraig", "Ciarán", "Giulia",
    "Giuseppe", "Francesca", "Matteo", "Hélène", "Amélie", "Jérôme", "Céline", "Benoît", "Noël",
    "Jean-Luc", "Anne-Marie", "Mary-Jane", "Jean-Pierre", "Marie-Claire", "Ana-María", "Ramón",
    "Inés", "Andrés", "Mónica", "Raúl", "Verónica", "Héctor", "Ángel", "Iván", "Óscar", "Julián",
    "Belén", "Noemí", "Jürgen", "Günther", "Åsa", "Wojciech", "Jiří", "Tomáš", "Đorđe", "Dmitri",
    "Olga", "Sergei", "Natalia", "Yusuf", "Mariam", "Hassan", "Zainab", "Ali", "Noor", "Khalid",
    "Leila", "Oluwaseun", "Adaeze", "Kofi", "Abena", "Thabo", "Nomvula", "Amadou", "Fatoumata",
    "Tendai", "Wanjiru", "Haruto", "Sakura", "Ji-woo", "Seo-yeon", "Deepika", "Arjun", "Sanjay",
    "Lakshmi", "Aarav", "Ananya", "Minh", "Huong", "Tuấn", "Phương", "Kealoha", "Ayasha",
    "Dakota", "Wyatt", "Savannah", "Ezra", "Hannah", "Isaiah", "Naomi", "Elijah", "Abigail",
};

/* Last names, most common first. */
static const char *const last_names[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Rodríguez",
    "Martínez", "Hernández", "López", "Nguyễn", "González", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Pérez", "Thompson", "White", "Harris",
    "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Torres", "Patel", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
    "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Kim", "Gómez", "Phillips",
    "Evans", "Turner", "Díaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart",
    "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutiérrez", "Ortiz", "Morgan", "Cooper",
    "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Cox", "Ward", "Richardson",
    "Watson", "Brooks", "Chávez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
    "Price", "Álvarez", "Castillo", "Sanders", "Wang", "Myers", "Long", "Ross", "Foster",
    "Jiménez", "O'Brien", "O'Connor", "O'Neill", "McCarthy", "MacDonald", "D'Angelo",
    "García-López", "Smith-Jones", "Martínez-Ruiz", "Pérez-Soto", "Müller", "Schröder", "Weiß",
    "Becker", "Nowak", "Kowalski", "Wiśniewski", "Dvořák", "Novák", "Andersson", "Johansson",
    "Østergaard", "Sørensen", "Lindqvist", "Dubois", "Lefèvre", "Moreau", "Rossi", "Russo",
    "Esposito", "Bianchi", "Ferrari", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Zhang", "Liu",
    "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Singh", "Kumar", "Sharma",
    "Gupta", "Shah", "Reddy", "Iyer", "Das", "Chowdhury", "Tanaka", "Suzuki", "Takahashi",
    "Watanabe", "Yamamoto", "Park", "Choi", "Jung", "Kang", "Cho", "Okafor", "Adeyemi", "Mensah",
    "Boateng", "Diallo", "Traoré", "Ndlovu", "Mwangi", "Abdullah", "Haddad", "Khalil", "Nasser",
    "Rahman", "Hussein", "Ivanov", "Smirnov", "Kuznetsov", "Popescu", "Horváth", "Nagy",
    "Kovács", "Papadopoulos", "Yılmaz", "Öztürk", "Van der Berg", "De la Cruz", "Le Roux",
    "Dos Santos", "Da Silva", "Oliveira", "Souza", "Costa", "Pereira", "Fernandes", "Begay",
    "Yazzie", "Nakamura", "Fitzgerald", "Sullivan", "Kennedy", "Fernández", "Acosta", "Ibáñez",
    "Núñez", "Peña", "Muñoz", "Castañeda", "St. John", "Ó Súilleabháin", "Ní Bhriain",
};

/* Departments and component agencies, in the order that receives sizes
 * (largest first); parent names an earlier entry's abbreviation. */
struct dept_def {
    const char *name, *abbr, *parent, *head;
};
static const struct dept_def dept_defs[] = {
    {"Department of Defense", "dod", NULL, "Secretary"},
    {"Department of Veterans Affairs", "va", NULL, "Secretary"},
    {"Department of Homeland Security", "dhs", NULL, "Secretary"},
    {"Department of Justice", "doj", NULL, "Attorney General"},
    {"Department of the Treasury", "treasury", NULL, "Secretary"},
    {"Department of Agriculture", "usda", NULL, "Secretary"},
    {"Department of Health and Human Services", "hhs", NULL, "Secretary"},
    {"Department of the Interior", "doi", NULL, "Secretary"},
    {"Social Security Administration", "ssa", NULL, "Commissioner"},
    {"Department of Transportation", "dot", NULL, "Secretary"},
    {"Department of Commerce", "commerce", NULL, "Secretary"},
    {"Internal Revenue Service", "irs", "treasury", "Commissioner"},
    {"Department of Labor", "dol", NULL, "Secretary"},
    {"U.S. Customs and Border Protection", "cbp", "dhs", "Commissioner"},
    {"Department of Energy", "energy", NULL, "Secretary"},
    {"National Aeronautics and Space Administration", "nasa", NULL, "Administrator"},
    {"Department of State", "state", NULL, "Secretary"},
    {"Federal Bureau of Investigation", "fbi", "doj", "Director"},
    {"Transportation Security Administration", "tsa", "dhs", "Administrator"},
    {"Federal Aviation Administration", "faa", "dot", "Administrator"},
    {"Environmental Protection Agency", "epa", NULL, "Administrator"},
    {"General Services Administration", "gsa", NULL, "Administrator"},
    {"Department of Housing and Urban Development", "hud", NULL, "Secretary"},
    {"National Institutes of Health", "nih", "hhs", "Director"},
    {"Federal Bureau of Prisons", "bop", "doj", "Director"},
    {"Forest Service", "usfs", "usda", "Chief"},
    {"National Park Service", "nps", "doi", "Director"},
    {"Centers for Disease Control and Prevention", "cdc", "hhs", "Director"},
    {"Food and Drug Administration", "fda", "hhs", "Commissioner"},
    {"U.S. Immigration and Customs Enforcement", "ice", "dhs", "Director"},
    {"Department of Education", "ed", NULL, "Secretary"},
    {"Federal Emergency Management Agency", "fema", "dhs", "Administrator"},
    {"Small Business Administration", "sba", NULL, "Administrator"},
    {"Office of Personnel Management", "opm", NULL, "Director"},
    {"Census Bureau", "census", "commerce", "Director"},
    {"National Oceanic and Atmospheric Administration", "noaa", "commerce", "Administrator"},
    {"Patent and Trademark Office", "uspto", "commerce", "Director"},
    {"U.S. Citizenship and Immigration Services", "uscis", "dhs", "Director"},
    {"Centers for Medicare & Medicaid Services", "cms", "hhs", "Administrator"},
    {"Bureau of Land Management", "blm", "doi", "Director"},
    {"Drug Enforcement Administration", "dea", "doj", "Administrator"},
    {"U.S. Secret Service", "usss", "dhs", "Director"},
    {"Nuclear Regulatory Commission", "nrc", NULL, "Chair"},
    {"National Science Foundation", "nsf", NULL, "Director"},
    {"Securities and Exchange Commission", "sec", NULL, "Chair"},
    {"U.S. Agency for International Development", "usaid", NULL, "Administrator"},
    {"National Archives and Records Administration", "nara", NULL, "Archivist"},
    {"Federal Highway Administration", "fhwa", "dot", "Administrator"},
    {"Occupational Safety and Health Administration", "osha", "dol", "Assistant Secretary"},
    {"Bureau of Labor Statistics", "bls", "dol", "Commissioner"},
    {"National Institute of Standards and Technology", "nist", "commerce", "Director"},
    {"Federal Trade Commission", "ftc", NULL, "Chair"},
    {"Federal Communications Commission", "fcc", NULL, "Chair"},
    {"Bureau of Alcohol, Tobacco, Firearms and Explosives", "atf", "doj", "Director"},
    {"U.S. Marshals Service", "usms", "doj", "Director"},
    {"U.S. Fish and Wildlife Service", "fws", "doi", "Director"},
    {"U.S. Geological Survey", "usgs", "doi", "Director"},
    {"Bureau of Indian Affairs", "bia", "doi", "Director"},
    {"Indian Health Service", "ihs", "hhs", "Director"},
    {"Federal Deposit Insurance Corporation", "fdic", NULL, "Chair"},
    {"Peace Corps", "peacecorps", NULL, "Director"},
    {"Federal Railroad Administration", "fra", "dot", "Administrator"},
    {"Farm Service Agency", "fsa", "usda", "Administrator"},
    {"Natural Resources Conservation Service", "nrcs", "usda", "Chief"},
    {"Food Safety and Inspection Service", "fsis", "usda", "Administrator"},
    {"Bureau of the Fiscal Service", "fiscal", "treasury", "Commissioner"},
    {"U.S. Mint", "usmint", "treasury", "Director"},
    {"Office of Management and Budget", "omb", NULL, "Director"},
    {"Smithsonian Institution", "si", NULL, "Secretary"},
    {"National Labor Relations Board", "nlrb", NULL, "Chair"},
    {"Equal Employment Opportunity Commission", "eeoc", NULL, "Chair"},
    {"Federal Election Commission", "fec", NULL, "Chair"},
    {"National Endowment for the Arts", "arts", NULL, "Chair"},
    {"Corporation for National and Community Service", "americorps", NULL, "Chief Executive"},
};
#define NDEFS (sizeof dept_defs / sizeof dept_defs[0])

/* Generated names past the list: a prefix and a topic. */
static const char *const gen_prefix[] = {"Office of", "Bureau of", "Administration for",
                                         "Commission on", "Council on", "Board of",
                                         "Agency for", "Service for"};
static const char *const gen_head[] = {"Director", "Director", "Administrator", "Chair",
                                       "Chair", "Chair", "Administrator", "Director"};
static const char *const gen_topic[] = {
    "Rural Development", "Water Resources", "Coastal Management", "Public Lands",
    "Maritime Safety", "Broadband Access", "Nuclear Security", "Tribal Affairs",
    "Workforce Development", "Consumer Protection", "Grid Reliability", "Space Weather",
    "Wildfire Response", "Seed Conservation", "Port Security", "Veterans Employment",
    "Refugee Resettlement", "Child Nutrition", "Highway Safety", "Mine Safety",
    "Pipeline Safety", "Climate Data", "Ocean Exploration", "Arctic Research",
    "Cybersecurity Standards", "Health Preparedness", "Disaster Recovery", "Small Farms",
    "Export Controls", "Trade Adjustment", "Historic Preservation", "Museum Services",
    "Library Services", "Minority Business", "Economic Analysis", "Energy Efficiency",
    "Fossil Energy", "Nuclear Energy", "Weather Services", "Aviation Safety", "Inland Waterways",
};
#define NPREFIX (sizeof gen_prefix / sizeof gen_prefix[0])
#define NTOPIC (sizeof gen_topic / sizeof gen_topic[0])

/* Manager titles below the head, by level (the last repeats). */
static const char *const mgr_titles[] = {"", "Deputy Director", "Office Director",
                                         "Division Director", "Branch Chief", "Section Chief",
                                         "Supervisor"};
#define NMGR_TITLES (sizeof mgr_titles / sizeof mgr_titles[0])

static const char *const staff_titles[] = {
    "Program Analyst", "Management Analyst", "IT Specialist", "Contract Specialist",
    "Human Resources Specialist", "Budget Analyst", "Financial Management Specialist",
    "Administrative Officer", "Attorney", "Paralegal Specialist", "Auditor", "Accountant",
    "General Engineer", "Civil Engineer", "Electronics Engineer", "Economist", "Statistician",
    "Physical Scientist", "Biologist", "Chemist", "Nurse", "Medical Officer", "Pharmacist",
    "Police Officer", "Criminal Investigator", "Border Patrol Agent", "Transportation Security Officer",
    "Claims Examiner", "Social Insurance Specialist", "Contact Representative",
    "Logistics Management Specialist", "Supply Technician", "Program Support Assistant",
    "Public Affairs Specialist", "Grants Management Specialist", "Realty Specialist",
    "Forestry Technician", "Park Ranger", "Air Traffic Controller", "Meteorologist",
    "Tax Examiner", "Revenue Agent", "Customs and Border Protection Officer",
    "Intelligence Specialist", "Security Specialist", "Emergency Management Specialist",
    "Policy Advisor", "Data Scientist", "Writer-Editor", "Librarian",
};
#define NSTAFF (sizeof staff_titles / sizeof staff_titles[0])

/* Duty stations, Washington weighted. */
static const char *const locations[] = {
    "Washington, DC", "Washington, DC", "Washington, DC", "Washington, DC", "Arlington, VA",
    "Alexandria, VA", "Baltimore, MD", "Bethesda, MD", "Suitland, MD", "Atlanta, GA",
    "Denver, CO", "Chicago, IL", "Dallas, TX", "Fort Worth, TX", "San Antonio, TX", "Houston, TX",
    "El Paso, TX", "Philadelphia, PA", "Boston, MA", "New York, NY", "Kansas City, MO",
    "St. Louis, MO", "Seattle, WA", "San Francisco, CA", "Los Angeles, CA", "San Diego, CA",
    "Norfolk, VA", "Huntsville, AL", "Oklahoma City, OK", "Ogden, UT", "Salt Lake City, UT",
    "Albuquerque, NM", "Phoenix, AZ", "Honolulu, HI", "Anchorage, AK", "San Juan, PR",
    "Cleveland, OH", "Nashville, TN", "Miami, FL", "Jacksonville, FL", "Detroit, MI",
    "Minneapolis, MN", "Portland, OR",
};
#define NLOC (sizeof locations / sizeof locations[0])

#define NFIRST (sizeof first_names / sizeof first_names[0])
#define NLAST (sizeof last_names / sizeof last_names[0])

/* ---- folding names to address text -------------------------------------- */

/* ASCII for U+00C0..U+00FF ("" drops the character). */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y",
};

/* ASCII for ranges of Latin Extended-A/B and Vietnamese letters. */
static const struct {
    unsigned lo, hi;
    const char *ascii;
} fold_ranges[] = {
    {0x100, 0x105, "a"},   {0x106, 0x10D, "c"},   {0x10E, 0x111, "d"},   {0x112, 0x11B, "e"},
    {0x11C, 0x123, "g"},   {0x124, 0x127, "h"},   {0x128, 0x131, "i"},   {0x132, 0x133, "ij"},
    {0x134, 0x135, "j"},   {0x136, 0x138, "k"},   {0x139, 0x142, "l"},   {0x143, 0x14B, "n"},
    {0x14C, 0x151, "o"},   {0x152, 0x153, "oe"},  {0x154, 0x159, "r"},   {0x15A, 0x161, "s"},
    {0x162, 0x167, "t"},   {0x168, 0x173, "u"},   {0x174, 0x175, "w"},   {0x176, 0x178, "y"},
    {0x179, 0x17E, "z"},   {0x17F, 0x17F, "s"},   {0x1A0, 0x1A1, "o"},   {0x1AF, 0x1B0, "u"},
    {0x1EA0, 0x1EB7, "a"}, {0x1EB8, 0x1EC7, "e"}, {0x1EC8, 0x1ECB, "i"}, {0x1ECC, 0x1EE3, "o"},
    {0x1EE4, 0x1EF1, "u"}, {0x1EF2, 0x1EF9, "y"},
};

/* Folds a UTF-8 name to lowercase ASCII letters and hyphens into out (cap
 * bytes, NUL-terminated): accents dropped, other characters removed. */
static void fold_name(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n + 3 < cap) {
        unsigned cp;
        int k;
        if (*p < 0x80) {
            cp = *p;
            k = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
            k = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            k = 3;
        } else {
            cp = 0;
            k = 4;
        }
        p += k;
        const char *a = "";
        char one[2] = {0, 0};
        if ((cp >= 'a' && cp <= 'z') || cp == '-') {
            one[0] = (char)cp;
            a = one;
        } else if (cp >= 'A' && cp <= 'Z') {
            one[0] = (char)(cp + 32);
            a = one;
        } else if (cp >= 0xC0 && cp <= 0xFF) {
            a = latin1[cp - 0xC0];
        } else {
            for (size_t i = 0; i < sizeof fold_ranges / sizeof fold_ranges[0]; i++)
                if (cp >= fold_ranges[i].lo && cp <= fold_ranges[i].hi)
                    a = fold_ranges[i].ascii;
        }
        while (*a && n + 1 < cap)
            out[n++] = *a++;
    }
    out[n] = '\0';
}

/* ---- generation --------------------------------------------------------- */

struct dept {
    char name[96];
    char domain[64];
    const char *head_title;
    int parent;       /* index of the parent department, or -1 */
    int64_t size;
    int64_t head_num; /* employee number of the head */
    int64_t depth0;   /* chain length above the head (0 for a top) */
};

typedef struct gen {
    const doge_synth_workforce_opts *o;
    doge_synth_rng rng;
    struct dept *d;
    int nd;
    char ffold[NFIRST][48], lfold[NLAST][48];
    uint32_t *mgr; /* per member of the current department: manager's member index */
    uint8_t *level;
    doge_map *locals;
    doge_buf out;
    doge_csv csv;
    FILE *f;
    int idw; /* digits in an employee id */
    doge_synth_workforce_result res;
} gen;

static int flush(gen *g, int force)
{
    if (g->out.len == 0 || (!force && g->out.len < ((size_t)1 << 20)))
        return DOGE_OK;
    errno = 0;
    if (fwrite(g->out.data, 1, g->out.len, g->f) != g->out.len)
        return doge__error_set(DOGE_EIO, "synth workforce: write failed: %s",
                               errno ? strerror(errno) : "stream error");
    g->res.bytes += g->out.len;
    doge_buf_reset(&g->out);
    return DOGE_OK;
}

static int domain_taken(const gen *g, int upto, const char *dom)
{
    for (int i = 0; i < upto; i++)
        if (strcmp(g->d[i].domain, dom) == 0)
            return 1;
    return 0;
}

static int cmp_size_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x < y) - (x > y);
}

/* Names, domains and sizes of the departments. */
static int plan_departments(gen *g)
{
    const char *suffix = g->o->domain_suffix ? g->o->domain_suffix : "gov";
    int nd = g->nd;
    for (int i = 0; i < nd; i++) {
        struct dept *d = &g->d[i];
        char base[48];
        d->parent = -1;
        if ((size_t)i < NDEFS) {
            const struct dept_def *def = &dept_defs[i];
            snprintf(d->name, sizeof d->name, "%s", def->name);
            snprintf(base, sizeof base, "%s", def->abbr);
            d->head_title = def->head;
            for (int j = 0; def->parent && j < i; j++)
                if (strcmp(dept_defs[j].abbr, def->parent) == 0)
                    d->parent = j;
        } else {
            size_t k = (size_t)i - NDEFS, p = k % NPREFIX, t = (k / NPREFIX + 7 * p) % NTOPIC;
            snprintf(d->name, sizeof d->name, "%s %s", gen_prefix[p], gen_topic[t]);
            d->head_title = gen_head[p];
            size_t bl = 0;
            for (const char *w = d->name; *w && bl + 1 < sizeof base;) {
                if (strncmp(w, "of ", 3) && strncmp(w, "for ", 4) && strncmp(w, "on ", 3))
                    base[bl++] = (char)(*w >= 'A' && *w <= 'Z' ? *w + 32 : *w);
                const char *sp = strchr(w, ' ');
                if (!sp)
                    break;
                w = sp + 1;
            }
            base[bl] = '\0';
        }
        snprintf(d->domain, sizeof d->domain, "%s.%s", base, suffix);
        for (int n = 2; domain_taken(g, i, d->domain); n++)
            snprintf(d->domain, sizeof d->domain, "%s%d.%s", base, n, suffix);
    }
    /* Sizes: one each, the rest by jittered weights 1/k^1.5, largest
     * remainders rounding up, then sorted so the list order is size order. */
    int64_t n = g->o->employees, rest = n - nd, given = 0;
    double *w = malloc((size_t)nd * sizeof *w), total = 0;
    int64_t *sz = malloc((size_t)nd * sizeof *sz);
    double *frac = malloc((size_t)nd * sizeof *frac);
    if (!w || !sz || !frac) {
        free(w);
        free(sz);
        free(frac);
        return doge__error_oom();
    }
    for (int i = 0; i < nd; i++) {
        double k = (double)(i + 1);
        w[i] = (0.8 + 0.4 * doge_synth_rng_unit(&g->rng)) / (k * sqrt(k));
        total += w[i];
    }
    for (int i = 0; i < nd; i++) {
        double share = (double)rest * (w[i] / total);
        sz[i] = (int64_t)share;
        frac[i] = share - (double)sz[i];
        given += sz[i];
    }
    while (given < rest) { /* hand out the remainder, largest fraction first */
        int best = 0;
        for (int i = 1; i < nd; i++)
            if (frac[i] > frac[best])
                best = i;
        sz[best]++;
        frac[best] = -1.0;
        given++;
    }
    qsort(sz, (size_t)nd, sizeof *sz, cmp_size_desc);
    for (int i = 0; i < nd; i++)
        g->d[i].size = sz[i] + 1;
    free(w);
    free(sz);
    free(frac);
    return DOGE_OK;
}

static void put_id(char *buf, int width, int64_t num)
{
    buf[0] = 'E';
    for (int i = width; i >= 1; i--) {
        buf[i] = (char)('0' + num % 10);
        num /= 10;
    }
    buf[width + 1] = '\0';
}

/* A skewed index in [0, n): the product of two uniforms, so the first
 * entries (the common names) are drawn far more often. */
static size_t skewed(gen *g, size_t n)
{
    double u = doge_synth_rng_unit(&g->rng) * doge_synth_rng_unit(&g->rng);
    size_t i = (size_t)(u * (double)n);
    return i < n ? i : n - 1;
}

/* Appends local (numbered when taken in this department) + "@" + domain. */
static int numbered_address(gen *g, doge_buf *b, const char *local, const char *domain)
{
    doge_map_value *slot;
    int rc = doge_map_upsert(g->locals, local, strlen(local), &slot, NULL);
    if (rc)
        return rc;
    slot->u64++;
    if (slot->u64 == 1)
        return doge_buf_printf(b, "%s@%s", local, domain);
    return doge_buf_printf(b, "%s%" PRIu64 "@%s", local, slot->u64, domain);
}

static int write_department(gen *g, int di, int64_t *next_num, doge_progress *bar)
{
    struct dept *d = &g->d[di];
    int64_t n = d->size;
    int rc;
    /* The tree, breadth first: member 0 is the head; members [0, q_end)
     * manage someone. */
    int64_t q = 0, next = 1;
    g->level[0] = 0;
    while (next < n) {
        int64_t span = 5 + (int64_t)doge_synth_rng_below(&g->rng, 11);
        for (int64_t c = 0; c < span && next < n; c++, next++) {
            g->mgr[next] = (uint32_t)q;
            g->level[next] = (uint8_t)(g->level[q] < 250 ? g->level[q] + 1 : 250);
        }
        q++;
    }
    int64_t q_end = q;
    g->res.managers += q_end;
    d->head_num = *next_num;
    d->depth0 = d->parent >= 0 ? g->d[d->parent].depth0 + 1 : 0;
    doge_map_clear(g->locals);
    doge_buf line;
    doge_buf_init(&line, 0);
    char id[16], mid[16];
    for (int64_t i = 0; i < n; i++) {
        int64_t num = (*next_num)++;
        put_id(id, g->idw, num);
        size_t fi = skewed(g, NFIRST), li = skewed(g, NLAST);
        int middle = doge_synth_rng_below(&g->rng, 4) == 0 ? 'A' + (int)doge_synth_rng_below(&g->rng, 26) : 0;
        doge_buf_reset(&line);
        /* name */
        if (middle)
            rc = doge_buf_printf(&line, "%s %c. %s", first_names[fi], middle, last_names[li]);
        else
            rc = doge_buf_printf(&line, "%s %s", first_names[fi], last_names[li]);
        size_t name_len = line.len;
        /* e-mail */
        char local[128];
        snprintf(local, sizeof local, "%s.%s", g->ffold[fi], g->lfold[li]);
        if (rc == DOGE_OK)
            rc = numbered_address(g, &line, local, d->domain);
        size_t email_end = line.len;
        /* aliases: about 8% initial+last, 3% first.m.last when there is a middle initial */
        uint64_t roll = doge_synth_rng_below(&g->rng, 100);
        int aliases = 0;
        if (rc == DOGE_OK && roll < 8) {
            snprintf(local, sizeof local, "%c%s", g->ffold[fi][0], g->lfold[li]);
            rc = numbered_address(g, &line, local, d->domain);
            aliases++;
        }
        if (rc == DOGE_OK && middle && (roll < 2 || roll >= 88)) {
            if (aliases)
                rc = doge_buf_append_char(&line, ';');
            snprintf(local, sizeof local, "%s.%c.%s", g->ffold[fi], middle + 32, g->lfold[li]);
            if (rc == DOGE_OK)
                rc = numbered_address(g, &line, local, d->domain);
            aliases++;
        }
        if (rc)
            break;
        g->res.aliases += aliases;
        /* manager */
        mid[0] = '\0';
        if (i > 0)
            put_id(mid, g->idw, d->head_num + g->mgr[i]);
        else if (d->parent >= 0)
            put_id(mid, g->idw, g->d[d->parent].head_num);
        /* title */
        char title[128];
        if (i == 0)
            snprintf(title, sizeof title, "%s", d->head_title);
        else if (i < q_end)
            snprintf(title, sizeof title, "%s",
                     mgr_titles[g->level[i] < NMGR_TITLES ? g->level[i] : NMGR_TITLES - 1]);
        else
            snprintf(title, sizeof title, "%s", staff_titles[doge_synth_rng_below(&g->rng, NSTAFF)]);
        const char *loc = i == 0 ? "Washington, DC" : locations[doge_synth_rng_below(&g->rng, NLOC)];
        int64_t depth = d->depth0 + g->level[i] + 1;
        if (depth > g->res.max_depth)
            g->res.max_depth = depth;
        /* the row */
        const char *email = line.data + name_len;
        size_t email_len = email_end - name_len;
        const char *alias_s = line.data + email_end;
        size_t alias_len = line.len - email_end;
        if ((rc = doge_csv_field(&g->csv, id, strlen(id))) ||
            (rc = doge_csv_field(&g->csv, line.data, name_len)) ||
            (rc = doge_csv_field(&g->csv, email, email_len)) ||
            (rc = doge_csv_field_str(&g->csv, d->name)) ||
            (rc = doge_csv_field_str(&g->csv, mid)) ||
            (rc = doge_csv_field(&g->csv, alias_s, alias_len)) ||
            (rc = doge_csv_field_str(&g->csv, title)) ||
            (rc = doge_csv_field_str(&g->csv, loc)) || (rc = doge_csv_end_row(&g->csv)) ||
            (rc = flush(g, 0)))
            break;
        if ((num & 4095) == 0 && bar)
            doge_progress_update(bar, (uint64_t)num);
    }
    doge_buf_dispose(&line);
    return rc;
}

static int check_opts(const doge_synth_workforce_opts *o)
{
    if (o->employees < 1 || o->employees > DOGE_SYNTH_MAX_EMPLOYEES)
        return doge__error_set(DOGE_EINVAL,
                               "synth workforce: --employees %" PRId64 " is out of range (1 to %d)",
                               o->employees, DOGE_SYNTH_MAX_EMPLOYEES);
    if (o->departments < 1 || o->departments > DOGE_SYNTH_MAX_DEPARTMENTS)
        return doge__error_set(DOGE_EINVAL,
                               "synth workforce: --departments %d is out of range (1 to %d)",
                               o->departments, DOGE_SYNTH_MAX_DEPARTMENTS);
    if (o->departments > o->employees)
        return doge__error_set(DOGE_EINVAL,
                               "synth workforce: %d departments need at least as many employees "
                               "(got %" PRId64 ")",
                               o->departments, o->employees);
    if (o->domain_suffix) {
        char probe[300];
        int n = snprintf(probe, sizeof probe, "a@abcdefghij.%s", o->domain_suffix);
        if (n < 0 || (size_t)n >= sizeof probe || !doge_roster_valid_address(probe, -1) ||
            strlen(o->domain_suffix) > 40)
            return doge__error_set(DOGE_EINVAL,
                                   "synth workforce: --domain-suffix '%.60s' is not a domain "
                                   "suffix (labels of letters, digits and hyphens)",
                                   o->domain_suffix);
    }
    return DOGE_OK;
}

int doge_synth_workforce(const doge_synth_workforce_opts *o, FILE *out,
                         doge_synth_workforce_result *res)
{
    int rc;
    if (!o || !out)
        return doge__error_set(DOGE_EINVAL, "synth workforce: no options or no output");
    if ((rc = check_opts(o)))
        return rc;
    gen *g = calloc(1, sizeof *g);
    if (!g)
        return doge__error_oom();
    g->o = o;
    g->f = out;
    g->nd = o->departments;
    g->idw = o->employees >= 10000000 ? 8 : 7;
    g->res.employees = o->employees;
    g->res.departments = o->departments;
    doge_synth_rng_seed(&g->rng, o->seed);
    doge_buf_init(&g->out, 0);
    doge_csv_init_buf(&g->csv, &g->out, DOGE_CSV_LF);
    for (size_t i = 0; i < NFIRST; i++)
        fold_name(first_names[i], g->ffold[i], sizeof g->ffold[i]);
    for (size_t i = 0; i < NLAST; i++)
        fold_name(last_names[i], g->lfold[i], sizeof g->lfold[i]);
    doge_progress *bar = NULL;
    if (!(g->d = calloc((size_t)g->nd, sizeof *g->d))) {
        rc = doge__error_oom();
        goto out;
    }
    if ((rc = plan_departments(g)))
        goto out;
    int64_t largest = g->d[0].size;
    g->res.largest_department = largest;
    g->mgr = malloc((size_t)largest * sizeof *g->mgr);
    g->level = malloc((size_t)largest);
    if (!g->mgr || !g->level) {
        rc = doge__error_oom();
        goto out;
    }
    if ((rc = doge_map_new(&g->locals, 0, 0)))
        goto out;
    if (!o->no_progress)
        doge_progress_new(&bar, "synth workforce", (uint64_t)o->employees, o->progress);
    static const char *const header[] = {"employee_id", "name",    "email", "department",
                                         "manager_id",  "aliases", "title", "location"};
    if ((rc = doge_csv_row(&g->csv, header, sizeof header / sizeof header[0])))
        goto out;
    int64_t next_num = 1;
    for (int i = 0; i < g->nd && rc == DOGE_OK; i++)
        rc = write_department(g, i, &next_num, bar);
    if (rc == DOGE_OK)
        rc = flush(g, 1);
    if (rc == DOGE_OK && fflush(out) != 0)
        rc = doge__error_set(DOGE_EIO, "synth workforce: write failed: %s", strerror(errno));
    if (rc == DOGE_OK && bar) {
        doge_progress_update(bar, (uint64_t)o->employees);
        doge_progress_finish(bar);
    }
    if (rc == DOGE_OK && res)
        *res = g->res;
out:
    doge_progress_free(bar);
    doge_map_free(g->locals);
    doge_buf_dispose(&g->out);
    free(g->mgr);
    free(g->level);
    free(g->d);
    free(g);
    return rc;
}

int doge_synth_workforce_file(const doge_synth_workforce_opts *o, const char *path,
                              doge_synth_workforce_result *res)
{
    if (!path)
        return doge__error_set(DOGE_EINVAL, "synth workforce: no output path");
    if (strcmp(path, "-") == 0)
        return doge_synth_workforce(o, stdout, res);
    int rc;
    if (!o || (rc = check_opts(o)) != DOGE_OK)
        return o ? rc : doge__error_set(DOGE_EINVAL, "synth workforce: no options");
    size_t tl = strlen(path) + 32;
    char *tmp = malloc(tl);
    if (!tmp)
        return doge__error_oom();
    snprintf(tmp, tl, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        rc = doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
        free(tmp);
        return rc;
    }
    rc = doge_synth_workforce(o, f, res);
    if (fclose(f) != 0 && rc == DOGE_OK)
        rc = doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
    if (rc == DOGE_OK && rename(tmp, path) != 0)
        rc = doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
    if (rc)
        remove(tmp);
    free(tmp);
    return rc;
}
