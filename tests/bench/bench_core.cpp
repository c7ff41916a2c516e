// bench_core: the core's performance figures, run by hand in a Release build (not a test; timings vary).
//
//   1. durable ticket creation through TicketService::create against the same rows written through the raw
//      sqlite3 API, one transaction per operation (the physical limit of the disk);
//   2. contact search over 100,000 contacts with addresses;
//   3. the one-week schedule query over 200,000 tickets.
//
// Every database is a file in one temporary directory (WAL, synchronous=FULL, as the app runs). The run ends
// with one line per figure of issue 16 (create_ticket_vs_raw, search_p95_ms, schedule_week_p95_ms):
//   FIGURE <name> <value> <unit> goal <op> <target> <met|missed>
#include "core.h"
#include "db/housekeeping.h"
#include "db/transaction.h"
#include "util/timeutil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QThread>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string_view>
#include <vector>

namespace {

using namespace fb;

// The databases' folder, removed on failure too (exit() skips its destructor); null when kept.
QTemporaryDir *g_workDir = nullptr;

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "bench_core: %s\n", qPrintable(what));
    if (g_workDir)
        g_workDir->remove();
    std::exit(1);
}

template <typename T> T take(Result<T> result, const char *what)
{
    if (!result)
        die(QString::fromLatin1(what) + QStringLiteral(": ") + result.error().toString());
    return std::move(result).value();
}

void check(const Status &status, const char *what)
{
    if (!status)
        die(QString::fromLatin1(what) + QStringLiteral(": ") + status.error().toString());
}

// --- figures
// ------------------------------------------------------------------------------------------------

/// One figure of issue 16, printed at the very end as `FIGURE <name> <value> <unit> goal <op> <target>
/// <met|missed>` so runs compare line by line.
struct Figure
{
    const char *name;
    double value;
    const char *unit;
    const char *op; // "<=" or ">="
    double target;
    int decimals;
};

std::vector<Figure> g_figures;

void printFigures()
{
    for (const Figure &f : g_figures) {
        const bool met = std::string_view(f.op) == "<=" ? f.value <= f.target : f.value >= f.target;
        std::printf("FIGURE %s %.*f %s goal %s %g %s\n", f.name, f.decimals, f.value, f.unit, f.op, f.target,
                    met ? "met" : "missed");
    }
}

// --- statistics
// ---------------------------------------------------------------------------------------------

struct Summary
{
    qsizetype count = 0;
    double p50 = 0; // milliseconds
    double p95 = 0;
    double max = 0;
    double mean = 0;
};

Summary summarize(std::vector<qint64> nanos)
{
    Summary s;
    s.count = qsizetype(nanos.size());
    if (nanos.empty())
        return s;
    std::sort(nanos.begin(), nanos.end());
    // Nearest rank: the smallest value with at least p of the samples at or below it.
    const auto rank = [&](double p) {
        const auto index = std::size_t(std::ceil(p * double(nanos.size()))) - 1;
        return double(nanos[std::min(index, nanos.size() - 1)]) / 1e6;
    };
    s.p50 = rank(0.50);
    s.p95 = rank(0.95);
    s.max = double(nanos.back()) / 1e6;
    double sum = 0;
    for (qint64 n : nanos)
        sum += double(n);
    s.mean = sum / double(nanos.size()) / 1e6;
    return s;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void printSummary(const char *label, const Summary &s, const char *extra = "")
{
    std::printf("  %-28s n=%-5lld p50 %8.3f ms   p95 %8.3f ms   max %8.3f ms   mean %8.3f ms%s\n", label,
                static_cast<long long>(s.count), s.p50, s.p95, s.max, s.mean, extra);
}

// --- realistic data
// -----------------------------------------------------------------------------------------

const char *const kFirstNames[] = {
    "James",     "Mary",      "Robert",  "Patricia",  "John",        "Jennifer",  "Michael", "Linda",
    "David",     "Elizabeth", "William", "Barbara",   "Richard",     "Susan",     "Joseph",  "Jessica",
    "Thomas",    "Sarah",     "Charles", "Karen",     "Christopher", "Lisa",      "Daniel",  "Nancy",
    "Matthew",   "Betty",     "Anthony", "Margaret",  "Mark",        "Sandra",    "Donald",  "Ashley",
    "Steven",    "Kimberly",  "Paul",    "Emily",     "Andrew",      "Donna",     "Joshua",  "Michelle",
    "Kenneth",   "Carol",     "Kevin",   "Amanda",    "Brian",       "Dorothy",   "George",  "Melissa",
    "Timothy",   "Deborah",   "Ronald",  "Stephanie", "Edward",      "Rebecca",   "Jason",   "Sharon",
    "Jeffrey",   "Laura",     "Ryan",    "Cynthia",   "Jacob",       "Kathleen",  "Gary",    "Amy",
    "Nicholas",  "Angela",    "Eric",    "Shirley",   "Jonathan",    "Anna",      "Stephen", "Brenda",
    "Larry",     "Pamela",    "Justin",  "Emma",      "Scott",       "Nicole",    "Brandon", "Helen",
    "Benjamin",  "Samantha",  "Samuel",  "Katherine", "Gregory",     "Christine", "Frank",   "Debra",
    "Alexander", "Rachel",    "Raymond", "Carolyn",   "Patrick",     "Janet",     "Jack",    "Catherine",
    "Dennis",    "Maria",     "Jerry",   "Heather",   "Tyler",       "Diane",     "Aaron",   "Ruth",
    "Jose",      "Julie",     "Adam",    "Olivia",    "Nathan",      "Joyce",     "Henry",   "Virginia",
    "Douglas",   "Victoria",  "Zachary", "Kelly",     "Peter",       "Lauren",    "Kyle",    "Christina",
    "Ethan",     "Joan",      "Walter",  "Evelyn",    "Noah",        "Judith",
};

const char *const kLastNames[] = {
    "Smith",      "Johnson",  "Williams",  "Brown",    "Jones",     "Garcia",    "Miller",    "Davis",
    "Rodriguez",  "Martinez", "Hernandez", "Lopez",    "Gonzalez",  "Wilson",    "Anderson",  "Thomas",
    "Taylor",     "Moore",    "Jackson",   "Martin",   "Lee",       "Perez",     "Thompson",  "White",
    "Harris",     "Sanchez",  "Clark",     "Ramirez",  "Lewis",     "Robinson",  "Walker",    "Young",
    "Allen",      "King",     "Wright",    "Scott",    "Torres",    "Nguyen",    "Hill",      "Flores",
    "Green",      "Adams",    "Nelson",    "Baker",    "Hall",      "Rivera",    "Campbell",  "Mitchell",
    "Carter",     "Roberts",  "Gomez",     "Phillips", "Evans",     "Turner",    "Diaz",      "Parker",
    "Cruz",       "Edwards",  "Collins",   "Reyes",    "Stewart",   "Morris",    "Morales",   "Murphy",
    "Cook",       "Rogers",   "Gutierrez", "Ortiz",    "Morgan",    "Cooper",    "Peterson",  "Bailey",
    "Reed",       "Kelly",    "Howard",    "Ramos",    "Kim",       "Cox",       "Ward",      "Richardson",
    "Watson",     "Brooks",   "Chavez",    "Wood",     "James",     "Bennett",   "Gray",      "Mendoza",
    "Ruiz",       "Hughes",   "Price",     "Alvarez",  "Castillo",  "Sanders",   "Patel",     "Myers",
    "Long",       "Ross",     "Foster",    "Jimenez",  "Powell",    "Jenkins",   "Perry",     "Russell",
    "Sullivan",   "Bell",     "Coleman",   "Butler",   "Henderson", "Barnes",    "Gonzales",  "Fisher",
    "Vasquez",    "Simmons",  "Romero",    "Jordan",   "Patterson", "Alexander", "Hamilton",  "Graham",
    "Reynolds",   "Griffin",  "Wallace",   "Moreno",   "West",      "Cole",      "Hayes",     "Bryant",
    "Herrera",    "Gibson",   "Ellis",     "Tran",     "Medina",    "Aguilar",   "Stevens",   "Murray",
    "Ford",       "Castro",   "Marshall",  "Owens",    "Harrison",  "Fernandez", "McDonald",  "Woods",
    "Washington", "Kennedy",  "Wells",     "Vargas",   "Henry",     "Chen",      "Freeman",   "Webb",
    "Tucker",     "Guzman",   "Burns",     "Crawford", "Olson",     "Simpson",   "Porter",    "Hunter",
    "Gordon",     "Mendez",   "Silva",     "Shaw",     "Snyder",    "Mason",     "Dixon",     "Munoz",
    "Hunt",       "Hicks",    "Holmes",    "Palmer",   "Wagner",    "Black",     "Robertson", "Boyd",
    "Rose",       "Stone",    "Salazar",   "Fox",      "Warren",    "Mills",     "Meyer",     "Rice",
    "Schmidt",    "Garza",    "Daniels",   "Ferguson", "Nichols",   "Stephens",  "Soto",      "Weaver",
    "Ryan",       "Gardner",  "Payne",     "Grant",    "Dunn",      "Kelley",    "Spencer",   "Hawkins",
};

const char *const kStreetNames[] = {
    "Maple",    "Oak",      "Pine",     "Cedar",   "Elm",       "Washington", "Lake",      "Hill",
    "Walnut",   "Spring",   "North",    "Ridge",   "Lincoln",   "Church",     "Willow",    "Mill",
    "Sunset",   "Railroad", "Jackson",  "Cherry",  "Highland",  "Franklin",   "Park",      "Meadow",
    "Forest",   "River",    "Chestnut", "Dogwood", "Jefferson", "Madison",    "Adams",     "Hickory",
    "Magnolia", "Laurel",   "Birch",    "Poplar",  "Sycamore",  "Valley",     "Prospect",  "Orchard",
    "Main",     "Broad",    "Market",   "Center",  "Union",     "Liberty",    "Pleasant",  "School",
    "Summit",   "Woodland", "Fairview", "Grove",   "Heritage",  "Bayview",    "Canyon",    "Harbor",
    "Juniper",  "Aspen",    "Cypress",  "Redwood", "Lakeview",  "Ashford",    "Brookside", "Clearwater",
};

const char *const kStreetSuffixes[] = {"Street",    "Avenue", "Road",  "Drive",  "Lane",    "Court",
                                       "Boulevard", "Way",    "Place", "Circle", "Terrace", "Parkway"};

struct City
{
    const char *name;
    const char *state;
};

const City kCities[] = {
    {"Springfield", "IL"}, {"Riverside", "CA"},  {"Franklin", "TN"},   {"Greenville", "SC"},
    {"Bristol", "CT"},     {"Clinton", "IA"},    {"Fairview", "OR"},   {"Salem", "MA"},
    {"Madison", "WI"},     {"Georgetown", "TX"}, {"Arlington", "VA"},  {"Ashland", "OR"},
    {"Burlington", "VT"},  {"Manchester", "NH"}, {"Milton", "MA"},     {"Newport", "RI"},
    {"Oxford", "MS"},      {"Jackson", "MS"},    {"Dover", "DE"},      {"Lexington", "KY"},
    {"Auburn", "AL"},      {"Dayton", "OH"},     {"Kingston", "NY"},   {"Marion", "IN"},
    {"Lebanon", "PA"},     {"Hudson", "NY"},     {"Columbia", "MO"},   {"Cleveland", "OH"},
    {"Portland", "ME"},    {"Aurora", "CO"},     {"Florence", "AL"},   {"Chester", "PA"},
    {"Winchester", "VA"},  {"Hamilton", "OH"},   {"Troy", "NY"},       {"Plymouth", "MN"},
    {"Sacramento", "CA"},  {"Boulder", "CO"},    {"Tucson", "AZ"},     {"Albuquerque", "NM"},
    {"Savannah", "GA"},    {"Asheville", "NC"},  {"Charleston", "WV"}, {"Bozeman", "MT"},
    {"Spokane", "WA"},     {"Eugene", "OR"},     {"Duluth", "MN"},     {"Fargo", "ND"},
    {"Billings", "MT"},    {"Pueblo", "CO"},     {"Provo", "UT"},      {"Boise", "ID"},
};

const char *const kDomains[] = {"gmail.com", "yahoo.com",   "outlook.com", "hotmail.com", "icloud.com",
                                "aol.com",   "comcast.net", "verizon.net", "proton.me",   "att.net"};

const char *const kAreaCodes[] = {"217", "309", "415", "512", "615", "704", "802", "843",
                                  "919", "971", "206", "303", "406", "505", "602", "801"};

const char *const kLabels[] = {"Home", "Office", "Rental", "Cabin", "Shop"};

template <std::size_t N> QString pick(QRandomGenerator &rng, const char *const (&list)[N])
{
    return QString::fromLatin1(list[rng.bounded(int(N))]);
}

QString digits(QRandomGenerator &rng, int count)
{
    QString text;
    for (int i = 0; i < count; ++i)
        text += QChar(u'0' + rng.bounded(10));
    return text;
}

Contact makeContact(QRandomGenerator &rng, const QUuid &userId)
{
    Contact c;
    c.id = newId();
    c.userId = userId;
    const QString first = pick(rng, kFirstNames);
    const QString last = pick(rng, kLastNames);
    c.name = first + QLatin1Char(' ') + last;
    if (rng.bounded(100) < 80)
        c.email = first.toLower() + QLatin1Char('.') + last.toLower() + QString::number(rng.bounded(100)) +
                  QLatin1Char('@') + pick(rng, kDomains);
    if (rng.bounded(100) < 90)
        c.phone =
            rng.bounded(2)
                ? QStringLiteral("(%1) %2-%3").arg(pick(rng, kAreaCodes), digits(rng, 3), digits(rng, 4))
                : QStringLiteral("%1-%2-%3").arg(pick(rng, kAreaCodes), digits(rng, 3), digits(rng, 4));
    c.createdAt = c.updatedAt = nowUtc();
    return c;
}

Address makeAddress(QRandomGenerator &rng, const QUuid &userId, const QUuid &contactId)
{
    Address a;
    a.id = newId();
    a.userId = userId;
    a.contactId = contactId;
    if (rng.bounded(100) < 60)
        a.label = pick(rng, kLabels);
    a.street = QString::number(1 + rng.bounded(9999)) + QLatin1Char(' ') + pick(rng, kStreetNames) +
               QLatin1Char(' ') + pick(rng, kStreetSuffixes);
    const City &city = kCities[rng.bounded(int(std::size(kCities)))];
    a.city = QString::fromLatin1(city.name);
    a.state = QString::fromLatin1(city.state);
    a.zip = digits(rng, 5);
    a.createdAt = a.updatedAt = nowUtc();
    return a;
}

// --- a Core with a technician
// -------------------------------------------------------------------------------

struct Bench
{
    std::unique_ptr<Core> core;
    QUuid user;
};

Bench openBench(const QString &path, const QString &connection)
{
    Bench bench;
    bench.core = take(Core::open(path, connection), "open the database");
    const auto user = take(bench.core->users.create(
                               {QStringLiteral("Bench Technician"), QStringLiteral("bench@example.com"), {}}),
                           "create the technician");
    bench.user = user.id;
    check(bench.core->setCurrentUser(user.id), "select the technician");
    return bench;
}

qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

sqlite3 *handleOf(Core &core)
{
    const QVariant handle = core.db().connection().driver()->handle();
    return *static_cast<sqlite3 *const *>(handle.constData());
}

int commitCounter(void *counter)
{
    ++*static_cast<qint64 *>(counter);
    return 0; // let the commit proceed
}

qint64 scalar(Core &core, const QString &sql, const QVariantList &values = {})
{
    auto query = take(core.db().exec(sql, values), "count");
    return query.next() ? query.value(0).toLongLong() : -1;
}

void printPlan(Core &core, const QString &sql, const QVariantList &values)
{
    auto plan = take(core.db().exec(QStringLiteral("EXPLAIN QUERY PLAN ") + sql, values), "explain");
    while (plan.next())
        std::printf("    %s\n", qPrintable(plan.value(3).toString()));
}

// --- 1. durable writes
// --------------------------------------------------------------------------------------

/// The rows TicketService::create writes, through the sqlite3 C API with prepared statements kept: the floor.
class RawTicketWriter final
{
public:
    RawTicketWriter(const QString &path, const QUuid &user, const QUuid &contact, const QUuid &address)
        : m_user(idText(user).toUtf8()), m_contact(idText(contact).toUtf8()),
          m_address(idText(address).toUtf8())
    {
        if (sqlite3_open_v2(path.toUtf8().constData(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            die(QStringLiteral("raw: cannot open %1").arg(path));
        ok(sqlite3_create_function_v2(m_db, "current_user_id", 0, SQLITE_UTF8, &m_user, &currentUserId,
                                      nullptr, nullptr, nullptr),
           "register current_user_id");
        ok(sqlite3_exec(m_db,
                        "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                        "PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY;",
                        nullptr, nullptr, nullptr),
           "pragmas");
        sqlite3_commit_hook(m_db, &commitCounter, &m_commits);
        m_begin = prepare("BEGIN IMMEDIATE");
        m_commit = prepare("COMMIT");
        m_ticket =
            prepare("INSERT INTO main.tickets (id, user_id, contact_id, address_id, status, scheduled_at, "
                    "scheduled_duration_minutes, created_at, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4, 'scheduled', ?5, 60, ?6, ?6)");
        m_audit = prepare(
            "INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, changes, created_at) "
            "VALUES (?1, ?2, 'ticket', ?3, 'create', ?4, ?5)");
        m_event = prepare("INSERT INTO domain_events (event_id, event_type, user_id, payload, occurred_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)");
    }

    ~RawTicketWriter()
    {
        for (sqlite3_stmt *statement : {m_begin, m_commit, m_ticket, m_audit, m_event})
            sqlite3_finalize(statement);
        sqlite3_close(m_db);
    }

    RawTicketWriter(const RawTicketWriter &) = delete;
    RawTicketWriter &operator=(const RawTicketWriter &) = delete;

    void create(const QDateTime &scheduledAt)
    {
        const QByteArray id = idText(newId()).toUtf8();
        const QByteArray auditId = idText(newId()).toUtf8();
        const QByteArray eventId = idText(newId()).toUtf8();
        const QByteArray now = toStoredTime(nowUtc()).toUtf8();
        const QByteArray scheduled = toStoredTime(scheduledAt).toUtf8();
        // The same JSON the service writes (keys in QJsonObject's sorted order).
        const QByteArray changes =
            "{\"created\":{\"actual_duration_minutes\":null,\"address_id\":\"" + m_address +
            "\",\"clock_in_at\":null,\"clock_out_at\":null,\"closed_at\":null,\"contact_id\":\"" + m_contact +
            "\",\"created_at\":\"" + now + "\",\"deleted_at\":null,\"id\":\"" + id +
            "\",\"notes\":null,\"scheduled_at\":\"" + scheduled +
            "\",\"scheduled_duration_minutes\":60,\"status\":\"scheduled\",\"updated_at\":\"" + now +
            "\",\"user_id\":\"" + m_user + "\"}}";
        const QByteArray payload = "{\"address_id\":\"" + m_address + "\",\"contact_id\":\"" + m_contact +
                                   "\",\"event_id\":\"" + eventId + "\",\"occurred_at\":\"" + now +
                                   "\",\"scheduled_at\":\"" + scheduled + "\",\"ticket_id\":\"" + id +
                                   "\",\"user_id\":\"" + m_user + "\"}";

        run(m_begin);
        bind(m_ticket, {id, m_user, m_contact, m_address, scheduled, now});
        run(m_ticket);
        bind(m_audit, {auditId, m_user, id, changes, now});
        run(m_audit);
        bind(m_event, {eventId, QByteArray(TicketCreatedEvent::kType), m_user, payload, now});
        run(m_event);
        run(m_commit);
    }

    qint64 commits() const { return m_commits; }

    qint64 count(const char *sql)
    {
        sqlite3_stmt *statement = prepare(sql);
        const qint64 n = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1;
        sqlite3_finalize(statement);
        return n;
    }

private:
    static void currentUserId(sqlite3_context *context, int, sqlite3_value **)
    {
        const auto *user = static_cast<const QByteArray *>(sqlite3_user_data(context));
        sqlite3_result_text(context, user->constData(), int(user->size()), SQLITE_TRANSIENT);
    }

    void ok(int rc, const char *what)
    {
        if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
            die(QStringLiteral("raw: %1: %2")
                    .arg(QString::fromLatin1(what), QString::fromUtf8(sqlite3_errmsg(m_db))));
    }

    sqlite3_stmt *prepare(const char *sql)
    {
        sqlite3_stmt *statement = nullptr;
        ok(sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr), sql);
        return statement;
    }

    void bind(sqlite3_stmt *statement, std::initializer_list<QByteArray> values)
    {
        int index = 1;
        for (const QByteArray &value : values)
            ok(sqlite3_bind_text(statement, index++, value.constData(), int(value.size()), SQLITE_TRANSIENT),
               "bind");
    }

    void run(sqlite3_stmt *statement)
    {
        ok(sqlite3_step(statement), sqlite3_sql(statement));
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
    }

    QByteArray m_user;
    QByteArray m_contact;
    QByteArray m_address;
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_begin = nullptr;
    sqlite3_stmt *m_commit = nullptr;
    sqlite3_stmt *m_ticket = nullptr;
    sqlite3_stmt *m_audit = nullptr;
    sqlite3_stmt *m_event = nullptr;
    qint64 m_commits = 0;
};

void benchWrites(const QString &dir, int ops, int rounds)
{
    std::printf(
        "\n== 1. Durable create-ticket operations (WAL, synchronous=FULL, one transaction each) ==\n");
    std::printf("  %d operations per side per round, %d rounds\n", ops, rounds);
    QRandomGenerator rng(1);
    const QDateTime base = QDateTime(QDate(2025, 3, 3), QTime(8, 0), Qt::UTC);
    const auto someTime = [&] { return base.addSecs(qint64(rng.bounded(60 * 24 * 4)) * 15 * 60); };

    // Service side.
    Bench service = openBench(dir + QStringLiteral("/writes_service.db"), QStringLiteral("bench-writes"));
    const auto customer = take(service.core->contacts.create({QStringLiteral("Margaret Hill"), {}, {}, {}}),
                               "create a contact");
    AddressCreate where;
    where.contactId = customer.id;
    where.street = QStringLiteral("12 Elm Street");
    where.city = QStringLiteral("Springfield");
    where.state = QStringLiteral("IL");
    where.zip = QStringLiteral("62701");
    const auto address = take(service.core->addresses.create(where), "create an address");
    qint64 serviceCommits = 0;
    sqlite3_commit_hook(handleOf(*service.core), &commitCounter, &serviceCommits);

    // Raw side: Core creates the schema and the rows the ticket refers to, then the C API takes the file
    // over.
    const QString rawPath = dir + QStringLiteral("/writes_raw.db");
    QUuid rawUser;
    QUuid rawContact;
    QUuid rawAddress;
    {
        Bench raw = openBench(rawPath, QStringLiteral("bench-writes-raw-setup"));
        rawUser = raw.user;
        rawContact =
            take(raw.core->contacts.create({QStringLiteral("Margaret Hill"), {}, {}, {}}), "contact").id;
        where.contactId = rawContact;
        rawAddress = take(raw.core->addresses.create(where), "address").id;
    }
    RawTicketWriter raw(rawPath, rawUser, rawContact, rawAddress);

    // Each side's wall time and CPU time (this thread), accumulated over its chunks.
    struct Side
    {
        qint64 wallNs = 0;
        qint64 cpuNs = 0;
    };
    const auto timed = [](Side &side, const auto &work) {
        QElapsedTimer timer;
        timer.start();
        const qint64 cpu = threadCpuNs();
        work();
        side.cpuNs += threadCpuNs() - cpu;
        side.wallNs += timer.nsecsElapsed();
    };
    const auto runService = [&](Side &side, int n) {
        timed(side, [&] {
            for (int i = 0; i < n; ++i) {
                TicketCreate data;
                data.contactId = customer.id;
                data.addressId = address.id;
                data.scheduledAt = someTime();
                data.scheduledDurationMinutes = 60;
                (void)take(service.core->tickets.create(data), "create a ticket");
            }
        });
    };
    const auto runRaw = [&](Side &side, int n) {
        timed(side, [&] {
            for (int i = 0; i < n; ++i)
                raw.create(someTime());
        });
    };

    Side warmUp;
    runService(warmUp, std::max(10, ops / 20));
    runRaw(warmUp, std::max(10, ops / 20));
    const qint64 serviceCommitsBefore = serviceCommits;
    const qint64 rawCommitsBefore = raw.commits();

    // The sides alternate in chunks of 50 operations, so a slow spell of the (shared, virtual) disk hits
    // both.
    const int chunk = 50;
    std::vector<double> serviceRates;
    std::vector<double> rawRates;
    Side serviceTotal;
    Side rawTotal;
    for (int round = 0; round < rounds; ++round) {
        Side s;
        Side r;
        for (int done = 0, c = 0; done < ops; done += chunk, ++c) {
            const int n = std::min(chunk, ops - done);
            if ((c + round) % 2 == 0) {
                runService(s, n);
                runRaw(r, n);
            } else {
                runRaw(r, n);
                runService(s, n);
            }
        }
        const double sRate = double(ops) / (double(s.wallNs) / 1e9);
        const double rRate = double(ops) / (double(r.wallNs) / 1e9);
        serviceRates.push_back(sRate);
        rawRates.push_back(rRate);
        serviceTotal.wallNs += s.wallNs;
        serviceTotal.cpuNs += s.cpuNs;
        rawTotal.wallNs += r.wallNs;
        rawTotal.cpuNs += r.cpuNs;
        std::printf("  round %d: service %8.1f ops/s   raw %8.1f ops/s   ratio %.3f\n", round + 1, sRate,
                    rRate, sRate / rRate);
    }
    const double serviceMedian = median(serviceRates);
    const double rawMedian = median(rawRates);
    const double measured = double(ops) * rounds;
    std::printf("  median:  service %8.1f ops/s   raw %8.1f ops/s   ratio %.3f\n", serviceMedian, rawMedian,
                serviceMedian / rawMedian);
    std::printf("  per operation: service %.0f us (%.0f us CPU), raw %.0f us (%.0f us CPU)\n",
                double(serviceTotal.wallNs) / measured / 1e3, double(serviceTotal.cpuNs) / measured / 1e3,
                double(rawTotal.wallNs) / measured / 1e3, double(rawTotal.cpuNs) / measured / 1e3);
    // The wall ratio is the figure; on a disk whose flush is slow it approaches 1 whatever the CPU does, so
    // the CPU ratio (this thread's time, the flush's system time included) is printed beside it.
    std::printf("  CPU-time ratio (raw CPU / service CPU): %.3f\n",
                double(rawTotal.cpuNs) / double(std::max<qint64>(1, serviceTotal.cpuNs)));
    g_figures.push_back({"create_ticket_vs_raw", serviceMedian / rawMedian, "ratio", ">=", 0.7, 2});
    std::printf("  commits per operation: service %.2f, raw %.2f\n",
                double(serviceCommits - serviceCommitsBefore) / measured,
                double(raw.commits() - rawCommitsBefore) / measured);

    // Both sides wrote the same rows: one ticket, one audit entry, one outbox row and one event per
    // operation.
    Core &c = *service.core;
    const QString ticketType = QString::fromLatin1(TicketCreatedEvent::kType);
    std::printf(
        "  rows (service): tickets %lld, audit %lld, outbox %lld, events %lld (%lld dispatched)\n",
        scalar(c, QStringLiteral("SELECT count(*) FROM main.tickets")),
        scalar(c, QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_type = 'ticket'")),
        scalar(c, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE entity_type = 'ticket'")),
        scalar(c, QStringLiteral("SELECT count(*) FROM domain_events WHERE event_type = ?"), {ticketType}),
        scalar(c,
               QStringLiteral("SELECT count(*) FROM domain_events WHERE event_type = ? AND dispatched = 1"),
               {ticketType}));
    std::printf("  rows (raw):     tickets %lld, audit %lld, outbox %lld, events %lld\n",
                raw.count("SELECT count(*) FROM main.tickets"),
                raw.count("SELECT count(*) FROM audit_log WHERE entity_type = 'ticket'"),
                raw.count("SELECT count(*) FROM sync_outbox WHERE entity_type = 'ticket'"),
                raw.count("SELECT count(*) FROM domain_events WHERE event_type = 'TicketCreatedEvent'"));
    sqlite3_commit_hook(handleOf(*service.core), nullptr, nullptr);
}

// --- 2. contact search
// --------------------------------------------------------------------------------------

struct SearchQuery
{
    QString text;
    const char *kind;
};

QString substringOf(QRandomGenerator &rng, const QString &text, int minLength)
{
    const int length = minLength + rng.bounded(std::max(1, int(text.size()) - minLength + 1));
    const int start = rng.bounded(int(text.size()) - std::min(length, int(text.size())) + 1);
    return text.mid(start, length);
}

std::vector<SearchQuery> searchQueries(QRandomGenerator &rng, int count)
{
    std::vector<SearchQuery> queries;
    for (int i = 0; i < count; ++i) {
        switch (i % 8) {
        case 0: // what a technician types for a customer: the start of a last name, or the full name
            queries.push_back({pick(rng, kLastNames).left(3 + rng.bounded(4)), "name"});
            break;
        case 1:
            queries.push_back(
                {substringOf(rng, pick(rng, kFirstNames) + QLatin1Char(' ') + pick(rng, kLastNames), 3),
                 "name"});
            break;
        case 2:
            queries.push_back(
                {substringOf(rng, pick(rng, kStreetNames) + QLatin1Char(' ') + pick(rng, kStreetSuffixes), 4),
                 "street"});
            break;
        case 3:
            queries.push_back(
                {QString::number(1 + rng.bounded(9999)) + QLatin1Char(' ') + pick(rng, kStreetNames).left(3),
                 "street"});
            break;
        case 4:
            queries.push_back({QString::fromLatin1(kCities[rng.bounded(int(std::size(kCities)))].name)
                                   .left(4 + rng.bounded(5)),
                               "city"});
            break;
        case 5:
            queries.push_back({rng.bounded(2) ? pick(rng, kFirstNames).toLower() + QLatin1Char('.') +
                                                    pick(rng, kLastNames).toLower().left(2)
                                              : pick(rng, kDomains).left(5),
                               "email"});
            break;
        case 6:
            queries.push_back(
                {rng.bounded(2) ? digits(rng, 4) : pick(rng, kAreaCodes) + QLatin1Char('-') + digits(rng, 3),
                 "phone"});
            break;
        default: // one or two characters: the first keystrokes
            queries.push_back(
                {rng.bounded(2) ? pick(rng, kLastNames).left(1) : pick(rng, kFirstNames).left(2), "short"});
            break;
        }
    }
    return queries;
}

void benchSearch(const QString &dir, int contacts, int queryCount)
{
    std::printf("\n== 2. Contact search over %d contacts ==\n", contacts);
    QRandomGenerator rng(2);
    Bench bench = openBench(dir + QStringLiteral("/search.db"), QStringLiteral("bench-search"));
    Core &core = *bench.core;

    QElapsedTimer fill;
    fill.start();
    int addresses = 0;
    {
        // One transaction through Store::insert: the search triggers and the audit run as in the app.
        Transaction tx(core.db());
        check(tx.began(), "begin the fill");
        for (int i = 0; i < contacts; ++i) {
            const Contact contact = makeContact(rng, bench.user);
            check(core.store().insert(QStringLiteral("contacts"), contact.toRow()), "insert a contact");
            const int count = rng.bounded(100) < 80 ? 1 : 2;
            for (int a = 0; a < count; ++a, ++addresses)
                check(core.store().insert(QStringLiteral("addresses"),
                                          makeAddress(rng, bench.user, contact.id).toRow()),
                      "insert an address");
        }
        check(tx.commit(), "commit the fill");
    }
    // The index as the app keeps it: the sync worker's housekeeping runs 20 s after the window opens and
    // compacts the search index once a day (db/housekeeping.h); a fill in one go leaves it in many segments.
    {
        QElapsedTimer compact;
        compact.start();
        const auto kept = housekeeping::pruneAll(core.db());
        if (!kept)
            die(QStringLiteral("housekeeping: %1").arg(kept.error().toString()));
        std::printf("  housekeeping (the search index compacted): %d steps, %.1f s\n", kept->steps,
                    double(compact.nsecsElapsed()) / 1e9);
    }
    check(core.db().execScript(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")), "checkpoint");
    std::printf("  filled %d contacts, %d addresses in %.1f s (one transaction)\n", contacts, addresses,
                double(fill.nsecsElapsed()) / 1e9);

    // The shapes ContactService::search runs (mirrored here to show their plans): the matches in the index's
    // order, which is name order by the first two characters (local migration 015), with no sort; then the
    // page read and sorted by the whole name.
    std::printf("  plan, the matches in name order (no sort: the read stops after the page):\n");
    printPlan(core,
              QStringLiteral("SELECT s.rowid FROM contact_search s CROSS JOIN main.contacts c ON c.rowid = "
                             "(s.rowid & 8388607) WHERE s.contact_search MATCH ? AND c.user_id = "
                             "current_user_id() AND c.deleted_at IS NULL ORDER BY s.rowid"),
              {QStringLiteral("\"smith\"")});
    std::printf("  plan, the page (its rowids looked up and sorted):\n");
    printPlan(core,
              QStringLiteral("SELECT c.* FROM json_each(?) m CROSS JOIN main.contacts c ON c.rowid = m.value "
                             "ORDER BY c.name COLLATE NOCASE, c.rowid LIMIT ?"),
              {QStringLiteral("[1,2,3]"), 100});

    const auto queries = searchQueries(rng, queryCount);
    for (int i = 0; i < 20; ++i) // warm the page cache
        (void)core.contacts.search(queries[std::size_t(i) % queries.size()].text);

    std::map<std::string, std::vector<qint64>> byKind;
    std::vector<qint64> longTimes;
    std::vector<qint64> shortTimes;
    std::vector<qint64> longCpu; // this thread's CPU time: what the figures would be on an idle machine
    std::vector<qint64> shortCpu;
    qint64 longResults = 0;
    qint64 shortResults = 0;
    QString slowest;
    qint64 slowestNs = 0;
    for (const SearchQuery &query : queries) {
        QElapsedTimer timer;
        timer.start();
        const qint64 cpu = threadCpuNs();
        const auto found = core.contacts.search(query.text);
        const qint64 ns = timer.nsecsElapsed();
        const qint64 cpuNs = threadCpuNs() - cpu;
        if (!found)
            die(QStringLiteral("search '%1': %2").arg(query.text, found.error().toString()));
        const bool isShort = query.text.trimmed().size() < 3;
        (isShort ? shortTimes : longTimes).push_back(ns);
        (isShort ? shortCpu : longCpu).push_back(cpuNs);
        (isShort ? shortResults : longResults) += found->size();
        byKind[query.kind].push_back(ns);
        if (!isShort && ns > slowestNs) {
            slowestNs = ns;
            slowest = query.text;
        }
    }
    const Summary longSummary = summarize(longTimes);
    const Summary shortSummary = summarize(shortTimes);
    char extra[96];
    std::snprintf(extra, sizeof extra, "   avg hits %.1f",
                  double(longResults) / double(std::max<qsizetype>(1, longSummary.count)));
    printSummary(">= 3 characters", longSummary, extra);
    std::snprintf(extra, sizeof extra, "   avg hits %.1f",
                  double(shortResults) / double(std::max<qsizetype>(1, shortSummary.count)));
    printSummary("1-2 characters", shortSummary, extra);
    printSummary(">= 3 characters, CPU time", summarize(longCpu));
    printSummary("1-2 characters, CPU time", summarize(shortCpu));
    for (const auto &[kind, times] : byKind)
        printSummary(("  by kind: " + kind).c_str(), summarize(times));
    std::printf("  slowest >= 3-character query: \"%s\" (%.3f ms)\n", qPrintable(slowest),
                double(slowestNs) / 1e6);
    g_figures.push_back({"search_p95_ms", longSummary.p95, "ms", "<=", 2.0, 2});
}

// --- 3. the week view
// ---------------------------------------------------------------------------------------

void benchSchedule(const QString &dir, int tickets, int weeks, bool bookingOrder, int years)
{
    std::printf("\n== 3. One-week schedule query over %d tickets spread over %d years ==\n", tickets, years);
    QRandomGenerator rng(3);
    Bench bench = openBench(dir + QStringLiteral("/schedule.db"), QStringLiteral("bench-schedule"));
    Core &core = *bench.core;
    const QDateTime base(QDate(2025, 1, 6), QTime(0, 0), Qt::UTC); // a Monday
    const int days = years * 52 * 7;

    QElapsedTimer fill;
    fill.start();
    {
        Transaction tx(core.db());
        check(tx.began(), "begin the fill");
        std::vector<std::pair<QUuid, QUuid>> customers;
        for (int i = 0; i < 2000; ++i) {
            const Contact contact = makeContact(rng, bench.user);
            const Address address = makeAddress(rng, bench.user, contact.id);
            check(core.store().insert(QStringLiteral("contacts"), contact.toRow()), "insert a contact");
            check(core.store().insert(QStringLiteral("addresses"), address.toRow()), "insert an address");
            customers.emplace_back(contact.id, address.id);
        }
        const QDateTime now = nowUtc();
        std::vector<Ticket> all;
        all.reserve(std::size_t(tickets));
        for (int i = 0; i < tickets; ++i) {
            const auto &[contactId, addressId] = customers[std::size_t(rng.bounded(int(customers.size())))];
            Ticket t;
            t.id = newId();
            t.userId = bench.user;
            t.contactId = contactId;
            t.addressId = addressId;
            t.scheduledAt =
                base.addDays(rng.bounded(days)).addSecs(qint64(7 * 60 + rng.bounded(11 * 4) * 15) * 60);
            t.scheduledDurationMinutes = 30 + 15 * rng.bounded(8);
            const int fate = rng.bounded(100);
            if (t.scheduledAt < now && fate < 90) {
                t.status = TicketStatus::Completed;
                t.clockInAt = t.scheduledAt;
                t.clockOutAt = t.scheduledAt.addSecs(qint64(*t.scheduledDurationMinutes) * 60);
                t.actualDurationMinutes = t.scheduledDurationMinutes;
                t.closedAt = t.clockOutAt;
            } else if (fate >= 97) {
                t.status = TicketStatus::Cancelled;
                t.closedAt = now;
            }
            if (rng.bounded(100) < 2)
                t.deletedAt = now;
            if (rng.bounded(100) < 40)
                t.notes = QStringLiteral("Annual service; check filter and thermostat. Gate code %1.")
                              .arg(digits(rng, 4));
            // Booked 0 to 4 weeks ahead: the order the rows reach the table in the app.
            t.createdAt = t.updatedAt = t.scheduledAt.addDays(-rng.bounded(29)).addSecs(-rng.bounded(86400));
            all.push_back(t);
        }
        if (bookingOrder)
            std::stable_sort(all.begin(), all.end(),
                             [](const Ticket &a, const Ticket &b) { return a.createdAt < b.createdAt; });
        for (const Ticket &t : all)
            check(core.store().insert(QStringLiteral("tickets"), t.toRow()), "insert a ticket");
        check(tx.commit(), "commit the fill");
    }
    check(core.db().execScript(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")), "checkpoint");
    std::printf("  filled %d tickets over %d days in %.1f s (one transaction), inserted in %s order\n",
                tickets, days, double(fill.nsecsElapsed()) / 1e9,
                bookingOrder ? "booking (each booked 0-4 weeks ahead)" : "random");

    // What TicketService::listRange runs (mirrored to show its plan and to time the SQL alone), and the
    // scoped view form it ran before.
    const QString sql =
        QStringLiteral("SELECT t.* FROM main.tickets t WHERE t.user_id = current_user_id() AND "
                       "t.deleted_at IS NULL AND t.scheduled_at >= ? AND t.scheduled_at < ? "
                       "ORDER BY t.scheduled_at, t.rowid");
    const QVariantList weekArgs{toStoredTime(base), toStoredTime(base.addDays(7))};
    std::printf("  plan, through the scoped view (the first version):\n");
    printPlan(core,
              QStringLiteral("SELECT * FROM tickets WHERE scheduled_at >= ? AND scheduled_at < ? "
                             "ORDER BY scheduled_at, rowid"),
              weekArgs);
    std::printf("  plan, main.tickets with the view's conditions:\n");
    printPlan(core, sql, weekArgs);

    std::vector<QDateTime> starts;
    for (int i = 0; i < weeks; ++i)
        starts.push_back(base.addDays(7 * rng.bounded(days / 7)));
    for (int i = 0; i < 10; ++i)
        (void)core.tickets.listRange(starts[std::size_t(i) % starts.size()],
                                     starts[std::size_t(i) % starts.size()].addDays(7));

    std::vector<qint64> serviceTimes;
    std::vector<qint64> serviceCpu; // this thread's CPU time: what the figures would be on an idle machine
    std::vector<qint64> sqlTimes;
    qint64 returned = 0;
    for (const QDateTime &from : starts) {
        const QDateTime to = from.addDays(7);
        QElapsedTimer timer;
        timer.start();
        const qint64 cpu = threadCpuNs();
        const auto week = core.tickets.listRange(from, to);
        serviceTimes.push_back(timer.nsecsElapsed());
        serviceCpu.push_back(threadCpuNs() - cpu);
        if (!week)
            die(QStringLiteral("listRange: %1").arg(week.error().toString()));
        returned += week->size();

        // The same statement, stepping the rows without building Tickets: how much is SQLite's.
        timer.restart();
        auto query = take(core.db().exec(sql, {toStoredTime(from), toStoredTime(to)}), "week sql");
        qsizetype rows = 0;
        while (query.next())
            ++rows;
        sqlTimes.push_back(timer.nsecsElapsed());
        if (rows != week->size())
            die(QStringLiteral("listRange returned %1 rows, the SQL %2").arg(week->size()).arg(rows));
    }
    const Summary service = summarize(serviceTimes);
    char extra[96];
    std::snprintf(extra, sizeof extra, "   avg tickets %.1f",
                  double(returned) / double(std::max<qsizetype>(1, service.count)));
    printSummary("listRange (one week)", service, extra);
    printSummary("listRange, CPU time", summarize(serviceCpu));
    printSummary("the SQL alone (rows stepped)", summarize(sqlTimes));
    g_figures.push_back({"schedule_week_p95_ms", service.p95, "ms", "<=", 10.0, 2});
}

} // namespace

int main(int argc, char *argv[])
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress shows when the output goes to a file
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_core"));
    QLoggingCategory::setFilterRules(QStringLiteral("fieldbook.*.debug=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fieldbook core benchmarks (run in a Release build)."));
    parser.addHelpOption();
    const QCommandLineOption opsOption(QStringLiteral("ops"),
                                       QStringLiteral("Create-ticket operations per round."),
                                       QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"),
                                          QStringLiteral("Rounds of writes (median)."), QStringLiteral("n"),
                                          QStringLiteral("3"));
    const QCommandLineOption contactsOption(QStringLiteral("contacts"),
                                            QStringLiteral("Contacts for search."), QStringLiteral("n"),
                                            QStringLiteral("100000"));
    const QCommandLineOption queriesOption(QStringLiteral("queries"), QStringLiteral("Search queries timed."),
                                           QStringLiteral("n"), QStringLiteral("400"));
    const QCommandLineOption ticketsOption(QStringLiteral("tickets"),
                                           QStringLiteral("Tickets for the week view."), QStringLiteral("n"),
                                           QStringLiteral("200000"));
    const QCommandLineOption yearsOption(
        QStringLiteral("years"),
        QStringLiteral("Years the tickets are spread over (default 2: ~1,900 a "
                       "week; 40 gives ~100 a week, a busy small business)."),
        QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption weeksOption(QStringLiteral("weeks"), QStringLiteral("Week queries timed."),
                                         QStringLiteral("n"), QStringLiteral("300"));
    const QCommandLineOption partsOption(QStringLiteral("parts"),
                                         QStringLiteral("Which parts to run: writes,search,schedule."),
                                         QStringLiteral("list"), QStringLiteral("writes,search,schedule"));
    const QCommandLineOption dirOption(
        QStringLiteral("dir"),
        QStringLiteral("Parent folder for the temporary databases (file system "
                       "under test)."),
        QStringLiteral("path"), QDir::tempPath());
    const QCommandLineOption orderOption(
        QStringLiteral("ticket-order"),
        QStringLiteral("Order the tickets are inserted in: booking (as the app "
                       "would) or random (no locality, the worst case)."),
        QStringLiteral("order"), QStringLiteral("booking"));
    const QCommandLineOption keepOption(QStringLiteral("keep"),
                                        QStringLiteral("Keep the databases (to look at them afterwards)."));
    parser.addOptions({opsOption, roundsOption, contactsOption, queriesOption, ticketsOption, weeksOption,
                       yearsOption, partsOption, dirOption, orderOption, keepOption});
    parser.process(app);
    const auto number = [&](const QCommandLineOption &option) {
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value <= 0)
            die(QStringLiteral("--%1 needs a positive number").arg(option.names().constFirst()));
        return value;
    };
    const QStringList parts = parser.value(partsOption).split(QLatin1Char(','), Qt::SkipEmptyParts);

    QTemporaryDir dir(parser.value(dirOption) + QStringLiteral("/fieldbook-bench-XXXXXX"));
    if (!dir.isValid())
        die(QStringLiteral("cannot create a temporary folder under %1").arg(parser.value(dirOption)));
    dir.setAutoRemove(!parser.isSet(keepOption));
    if (dir.autoRemove())
        g_workDir = &dir;
    const QStorageInfo storage(dir.path());

    std::printf("Fieldbook bench_core\n");
    std::printf("  SQLite %s (linked), Qt %s, %d hardware threads\n", sqlite3_libversion(), qVersion(),
                QThread::idealThreadCount());
    std::printf("  databases in %s (%s on %s)\n", qPrintable(dir.path()),
                storage.fileSystemType().constData(), storage.device().constData());
#ifdef NDEBUG
    std::printf("  build: release (NDEBUG)\n");
#else
    std::printf("  build: NOT a release build: figures are not representative\n");
#endif

    if (parts.contains(QStringLiteral("writes")))
        benchWrites(dir.path(), number(opsOption), number(roundsOption));
    if (parts.contains(QStringLiteral("search")))
        benchSearch(dir.path(), number(contactsOption), number(queriesOption));
    if (parts.contains(QStringLiteral("schedule")))
        benchSchedule(dir.path(), number(ticketsOption), number(weeksOption),
                      parser.value(orderOption) != QStringLiteral("random"), number(yearsOption));
    std::printf("\n");
    printFigures();
    return 0;
}
