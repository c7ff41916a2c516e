#include "demodata.h"

#include "core.h"
#include "db/scoping.h"
#include "db/transaction.h"

#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QTime>

#include <algorithm>

namespace fb {

namespace {

/// A comma-separated list, to keep the word lists below readable.
QStringList words(const char *csv)
{
    return QString::fromUtf8(csv).split(QLatin1Char(','));
}

const QStringList &firstNames()
{
    static const QStringList names = words(
        "Margaret,James,Linda,Robert,Patricia,Michael,Barbara,William,Elizabeth,David,Jennifer,Richard,Maria,"
        "Joseph,Susan,Thomas,Dorothy,Charles,Karen,Daniel,Nancy,Matthew,Lisa,Anthony,Betty,Mark,Sandra,"
        "Donald,"
        "Ashley,Steven,Kimberly,Paul,Emily,Andrew,Donna,Joshua,Michelle,Kenneth,Carol,Kevin,Amanda,Brian,"
        "Melissa,"
        "George,Deborah,Timothy,Stephanie,Ronald,Rebecca,Jason,Sharon,Edward,Laura,Jeffrey,Cynthia,Ryan,"
        "Kathleen,"
        "Jacob,Amy,Gary,Angela,Nicholas,Shirley,Eric,Anna,Jonathan,Brenda,Stephen,Pamela,Larry,Emma,Justin,"
        "Nicole,"
        "Scott,Helen,Brandon,Samantha,Benjamin,Katherine,Samuel,Christine,Gregory,Debra,Alexander,Rachel,"
        "Priya,"
        "Wei,Mateo,Sofia,Hiroshi,Aisha,Oluwaseun,Ingrid,Rafael,Mei,Tomasz,Fatima");
    return names;
}

const QStringList &lastNames()
{
    static const QStringList names =
        words("Hill,Smith,Johnson,Williams,Brown,Jones,Garcia,Miller,Davis,Rodriguez,Martinez,Hernandez,"
              "Lopez,Gonzalez,"
              "Wilson,Anderson,Thomas,Taylor,Moore,Jackson,Martin,Lee,Perez,Thompson,White,Harris,Sanchez,"
              "Clark,Ramirez,"
              "Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Torres,Nguyen,Hughes,Flores,Green,Adams,"
              "Nelson,Baker,"
              "Hall,Rivera,Campbell,Mitchell,Carter,Roberts,Patel,Kowalski,O'Brien,Schmidt,Okafor,Yamamoto,"
              "Chen,Larsen,"
              "Fischer,Novak,Murphy,Brooks,Sullivan,Bennett,Hayes,Price,Foster,Ward,Reyes");
    return names;
}

const QStringList &businessNames()
{
    static const QStringList names = words(
        "Hillcrest Property Management,Maple Street Dental,Lakeview Apartments,Oak Ridge Veterinary Clinic,"
        "Sunrise Bakery,Prairie State Realty,Lincoln Square Offices,Capitol Cafe,Riverside Montessori School,"
        "Westfield Family Practice,Chatham Hardware,Grace Community Church,Greenway Fitness,Old Mill "
        "Antiques,"
        "First Street Law Group");
    return names;
}

const QStringList &streets()
{
    static const QStringList names = words("Elm,Oak,Maple,Cedar,Pine,Lakeview,Sunset,Hillcrest,Willow,Birch,"
                                           "Walnut,Chestnut,Park,Meadow,River,Spring,"
                                           "Washington,Lincoln,Jefferson,Monroe,Adams,Madison,Jackson,"
                                           "Highland,Prairie,Orchard,Mill,Church,Forest,"
                                           "Cherry,Hickory,Sycamore,Ridge,Valley,Glenwood,Fairview");
    return names;
}

const QStringList &streetSuffixes()
{
    static const QStringList names = words("St,Ave,Rd,Dr,Ln,Ct,Way,Blvd,Pl,Ter");
    return names;
}

/// City, state and ZIP code of places around one service area, so a day's route is plausible.
const QStringList &cities()
{
    static const QStringList names = words(
        "Springfield|IL|62701,Springfield|IL|62702,Springfield|IL|62703,Springfield|IL|62704,"
        "Springfield|IL|62711,Springfield|IL|62712,Chatham|IL|62629,Rochester|IL|62563,Sherman|IL|62684,"
        "Jacksonville|IL|62650,Decatur|IL|62521,Decatur|IL|62526,Taylorville|IL|62568,Lincoln|IL|62656,"
        "Petersburg|IL|62675,Auburn|IL|62615,Riverton|IL|62561,New Berlin|IL|62670");
    return names;
}

const QStringList &addressNotes()
{
    static const QStringList notes =
        words("Side entrance; ring twice,Park on the street: the driveway is shared,Water spigot is behind "
              "the garage,"
              "Gravel lane: the house is the second on the left,Call on arrival: the gate is locked");
    return notes;
}

const QStringList &contactNotes()
{
    static const QStringList notes =
        words("Prefers text messages over calls,Referred by a neighbor,Ask for the property manager on site,"
              "Pays by check at the door,Wants a quote before any extra work,Usually books the spring and "
              "fall cleaning,"
              "Works nights: schedule after 11 AM");
    return notes;
}

const QStringList &ticketNotes()
{
    static const QStringList notes =
        words("Customer asked for the back windows first,Please call 30 minutes before arrival,"
              "Second-floor windows only this time,Bring the extension ladder,Follow-up from the last visit");
    return notes;
}

/// What a technician writes at close-out, with the attributes they confirmed from it (the LLM's proposal,
/// reviewed). The first one always has attributes, so every demo has some.
struct CloseOut
{
    const char *notes;
    QJsonObject attributes;
};

const QList<CloseOut> &closeOuts()
{
    static const QList<CloseOut> list{
        {"Gate code is 4821. Two-story house: needed the 28 ft ladder for the upper windows.",
         {{QStringLiteral("gate_code"), QStringLiteral("4821")},
          {QStringLiteral("ladder_needed"), true},
          {QStringLiteral("ladder_height_ft"), 28}}},
        {"Friendly lab named Max in the back yard. Customer asked us to keep the side gate latched.",
         {{QStringLiteral("pet"), QStringLiteral("dog (friendly lab, Max)")},
          {QStringLiteral("keep_gate_latched"), true}}},
        {"Two indoor cats, do not let them out. Customer prefers text messages.",
         {{QStringLiteral("pet"), QStringLiteral("two indoor cats")},
          {QStringLiteral("preferred_contact"), QStringLiteral("text")}}},
        {"Parking is tight: use the left side of the driveway. Water spigot is behind the garage.",
         {{QStringLiteral("parking"), QStringLiteral("left side of the driveway")},
          {QStringLiteral("water_spigot"), QStringLiteral("behind the garage")}}},
        {"Lockbox on the back door, code 1357. Nobody home during the day.",
         {{QStringLiteral("access"),
           QJsonObject{{QStringLiteral("type"), QStringLiteral("lockbox")},
                       {QStringLiteral("code"), QStringLiteral("1357")},
                       {QStringLiteral("location"), QStringLiteral("back door")}}}}},
        {"Steep roof pitch; the gutters need the 32 ft extension ladder. Dog barks but is friendly.",
         {{QStringLiteral("ladder_needed"), true},
          {QStringLiteral("ladder_height_ft"), 32},
          {QStringLiteral("pet"), QStringLiteral("dog, barks but friendly")}}},
        {"Wasp activity under the eaves on the south side; treated, recommend a check in spring.",
         {{QStringLiteral("recurring_issue"), QStringLiteral("wasps under the south eaves")}}},
        {"Customer works from home, call ten minutes before arriving.",
         {{QStringLiteral("call_ahead_minutes"), 10}}},
        {"Routine visit, no issues. Customer happy with the result.", {}},
        {"", {}}, // nothing written: a close-out without notes
    };
    return list;
}

/// The mailbox of a person's e-mail address in one of three styles: jane.doe, jdoe, janed.
QString personalMailbox(const QString &first, const QString &last, int style)
{
    const QString l = last.toLower().remove(QLatin1Char('\''));
    const QString f = first.toLower();
    if (style == 0)
        return f + QLatin1Char('.') + l;
    if (style == 1)
        return f.left(1) + l;
    return f + l.left(1);
}

/// The error with what the demo was doing when it happened, so the one-line message says where it failed.
Error during(const QString &what, Error error)
{
    error.message = what + QStringLiteral(": ") + error.toString();
    error.field.clear();
    return error;
}

} // namespace

const QString &DemoDataGenerator::profileName()
{
    static const QString name = QStringLiteral("Demo Technician");
    return name;
}

const QString &DemoDataGenerator::profileEmail()
{
    static const QString email = QStringLiteral("demo@fieldbook.example");
    return email;
}

DemoDataGenerator::DemoDataGenerator(Core &core, QDate today) : m_core(core), m_today(today), m_random(kSeed)
{
}

int DemoDataGenerator::bounded(int lowest, int highest)
{
    return m_random.bounded(lowest, highest + 1);
}

Result<DemoSummary> DemoDataGenerator::generate(int contacts)
{
    if (contacts < 1 || contacts > kMaxContacts)
        return Error::validation(QStringLiteral("contacts"),
                                 QStringLiteral("must be from 1 to %1").arg(kMaxContacts));
    QUuid userId;
    bool alreadyPresent = false;
    {
        // One transaction around everything: the services' own transactions nest in it as savepoints (see
        // db/transaction.h), so the demo is all or nothing, which keeps the "already has demo data" check
        // exact after an interrupted run, and is much faster than a durable commit per row. Events are stored
        // with their changes and delivered after the commit (the services defer delivery while a transaction
        // is open); that is when the handlers persist confirmed attributes and schedule reach-outs.
        FB_TRANSACTION(tx, m_core.db());
        bool hasData = false;
        auto profile = demoProfile(hasData);
        if (!profile)
            return profile.error();
        userId = *profile;
        alreadyPresent = hasData; // then nothing is written, and the transaction rolls back
        if (!alreadyPresent) {
            FB_TRY(createContacts(contacts));
            FB_TRY(createCatalog());
            FB_TRY(createContactNotes());
            FB_TRY(createSchedule());
            FB_TRY(tx.commit());
        }
    }
    // The events of this run, or of an earlier one interrupted between its commit and the delivery.
    const int failures = m_core.bus().deliverPending();
    auto summary = summarize(userId, alreadyPresent);
    if (summary)
        summary->failedDeliveries = failures;
    return summary;
}

Result<QUuid> DemoDataGenerator::demoProfile(bool &hasData)
{
    auto users = m_core.users.list();
    if (!users)
        return during(QStringLiteral("listing profiles"), users.error());
    QUuid id;
    for (const User &user : std::as_const(*users))
        if (user.email.compare(profileEmail(), Qt::CaseInsensitive) == 0)
            id = user.id;
    if (id.isNull()) {
        auto created = m_core.users.create({profileName(), profileEmail(), {}});
        if (!created)
            return during(QStringLiteral("creating the demo profile"), created.error());
        id = created->id;
    }
    if (auto selected = m_core.setCurrentUser(id); !selected)
        return during(QStringLiteral("selecting the demo profile"), selected.error());
    hasData = false;
    for (const QString &table : scoping::scopedTables()) {
        auto rows = m_core.db().exec(
            QStringLiteral("SELECT 1 FROM main.%1 WHERE user_id = ? LIMIT 1").arg(table), {idText(id)});
        if (!rows)
            return during(QStringLiteral("reading %1").arg(table), rows.error());
        hasData = hasData || rows->next();
    }
    return id;
}

/// A contact as drawn, before it is saved.
struct DemoDataGenerator::DrawnContact
{
    ContactCreate contact;
    bool business = false;
    QString firstName;
    int addresses = 1;
};

Status DemoDataGenerator::createContacts(int count)
{
    QSet<QString> emails;
    for (int i = 0; i < count; ++i) {
        // Contacts are drawn first and in order, so contact i is the same whatever the count.
        const DrawnContact drawn = drawContact(emails);
        auto created = m_core.contacts.create(drawn.contact);
        if (!created)
            return during(QStringLiteral("creating contact %1").arg(drawn.contact.name), created.error());
        Customer customer{created->id, drawn.business ? QString() : drawn.firstName, {}};
        for (int a = 0; a < drawn.addresses; ++a) {
            auto address = createAddress(created->id, drawn, a == 0);
            if (!address)
                return address.error();
            customer.addressIds.append(*address);
        }
        m_customers.append(customer);
    }
    return {};
}

DemoDataGenerator::DrawnContact DemoDataGenerator::drawContact(QSet<QString> &emails)
{
    static const QStringList areaCodes = words("217,309,312,618,630,773,815,847");
    static const QStringList personalDomains = words("example.com,example.net,example.org");
    static const QStringList businessMailboxes = words("office,info,billing,frontdesk");
    // Every value is drawn, used or not, in this order: the same seed gives the same contacts.
    DrawnContact drawn;
    drawn.business = bounded(1, 8) == 1;
    drawn.firstName = pick(firstNames());
    const QString last = pick(lastNames());
    const QString company = pick(businessNames());
    const int emailStyle = bounded(0, 2);
    const QString domain = pick(personalDomains);
    const QString mailbox = pick(businessMailboxes);
    const bool hasEmail = bounded(1, 10) != 1;
    const bool hasPhone = bounded(1, 12) != 1 || !hasEmail;
    const QString phone =
        QStringLiteral("(%1) 555-01%2").arg(pick(areaCodes)).arg(bounded(0, 99), 2, 10, QLatin1Char('0'));
    drawn.addresses = bounded(1, 10) <= 4 ? 2 : 1;

    QString local;
    QString host = domain;
    if (drawn.business) {
        drawn.contact.name = company;
        local = mailbox;
        const QStringList parts = company.toLower().split(QLatin1Char(' '));
        host = parts.mid(0, 2).join(QLatin1Char('-')) + QStringLiteral(".example");
    } else {
        drawn.contact.name = drawn.firstName + QLatin1Char(' ') + last;
        local = personalMailbox(drawn.firstName, last, emailStyle);
    }
    QString email = local + QLatin1Char('@') + host;
    for (int n = 2; emails.contains(email); ++n)
        email = local + QString::number(n) + QLatin1Char('@') + host;
    if (hasEmail) {
        emails.insert(email);
        drawn.contact.email = email;
    }
    if (hasPhone)
        drawn.contact.phone = phone;
    return drawn;
}

Result<QUuid> DemoDataGenerator::createAddress(const QUuid &contactId, const DrawnContact &drawn, bool first)
{
    const QStringList place = pick(cities()).split(QLatin1Char('|'));
    AddressCreate address;
    address.contactId = contactId;
    address.street =
        QStringLiteral("%1 %2 %3").arg(bounded(100, 9899)).arg(pick(streets()), pick(streetSuffixes()));
    const int suite = bounded(1, 4);
    if (drawn.business && first && suite == 1)
        address.street += QStringLiteral(", Suite %1").arg(bounded(1, 4) * 100);
    address.city = place.at(0);
    address.state = place.at(1);
    address.zip = place.at(2);
    if (first)
        address.label = drawn.business ? QStringLiteral("Office") : QStringLiteral("Home");
    else
        address.label = bounded(0, 1) == 0 ? QStringLiteral("Rental") : QStringLiteral("Office");
    const QString note = pick(addressNotes());
    if (bounded(1, 6) == 1)
        address.notes = note;
    auto saved = m_core.addresses.create(address);
    if (!saved)
        return during(QStringLiteral("creating an address of %1").arg(drawn.contact.name), saved.error());
    return saved->id;
}

Status DemoDataGenerator::createCatalog()
{
    struct Entry
    {
        const char *name;
        const char *description;
        PricingType pricing;
        qint64 cents;
        const char *unitLabel;
        int minQuantity;
        int maxQuantity;
        const char *descriptions; // flexible: what is typed on the line item
        bool active;
    };
    static const Entry entries[] = {
        {"Window Cleaning (Exterior)", "All exterior glass, screens brushed, sills wiped", PricingType::Fixed,
         17900, nullptr, 1, 1, nullptr, true},
        {"Window Cleaning (Inside and Out)", "Interior and exterior glass, tracks and sills",
         PricingType::Fixed, 28900, nullptr, 1, 1, nullptr, true},
        {"Gutter Cleaning", "Gutters cleared by hand, downspouts flushed", PricingType::Fixed, 14900, nullptr,
         1, 1, nullptr, true},
        {"General Pest Treatment", "Interior and perimeter treatment, 60-day guarantee", PricingType::Fixed,
         9500, nullptr, 1, 1, nullptr, true},
        {"Termite Inspection", "Full inspection with a written report", PricingType::Fixed, 12500, nullptr, 1,
         1, nullptr, true},
        {"Screen Repair", "Rescreen with fiberglass mesh", PricingType::PerUnit, 1850, "screen", 1, 8,
         nullptr, true},
        {"Hard Water Stain Removal", "Mineral deposits removed and glass sealed", PricingType::PerUnit, 1200,
         "pane", 4, 20, nullptr, true},
        {"Solar Panel Cleaning", "Deionized water, soft brush", PricingType::PerUnit, 900, "panel", 10, 30,
         nullptr, true},
        {"Gutter Guard Installation", "Micro-mesh guards", PricingType::PerUnit, 1250, "foot", 40, 160,
         nullptr, true},
        {"Additional Labor", "Extra time beyond the quoted scope", PricingType::PerUnit, 6500, "hour", 1, 3,
         nullptr, true},
        {"Pressure Washing", "Priced by the area on site", PricingType::Flexible, 0, nullptr, 1, 1,
         "Driveway and front walk,Back patio and steps,Deck (two levels),Siding (north and east walls)",
         true},
        {"Rodent Exclusion", "Seal entry points; priced on inspection", PricingType::Flexible, 0, nullptr, 1,
         1, "Seal gaps around the garage door,Screen the attic vents,Seal utility penetrations", true},
        {"Chimney Sweep", "No longer offered", PricingType::Fixed, 19900, nullptr, 1, 1, nullptr, false},
    };
    for (const Entry &entry : entries) {
        ServiceCreate service;
        service.name = QString::fromUtf8(entry.name);
        service.description = QString::fromUtf8(entry.description);
        service.pricingType = entry.pricing;
        if (entry.pricing == PricingType::Fixed)
            service.defaultPrice = Money::fromCents(entry.cents);
        if (entry.pricing == PricingType::PerUnit) {
            service.unitPrice = Money::fromCents(entry.cents);
            service.unitLabel = QString::fromUtf8(entry.unitLabel);
        }
        service.isActive = entry.active;
        auto created = m_core.catalog.createService(service);
        if (!created)
            return during(QStringLiteral("creating service %1").arg(service.name), created.error());
        if (entry.active)
            m_catalog.append({created->id, int(entry.pricing), entry.minQuantity, entry.maxQuantity,
                              entry.descriptions ? words(entry.descriptions) : QStringList()});
    }
    return {};
}

Status DemoDataGenerator::createContactNotes()
{
    for (const Customer &customer : std::as_const(m_customers)) {
        const QString text = pick(contactNotes());
        if (bounded(1, 4) != 1)
            continue;
        auto note = m_core.notes.create({customer.contactId, {}, text});
        if (!note)
            return during(QStringLiteral("creating a contact note"), note.error());
    }
    return {};
}

Status DemoDataGenerator::createSchedule()
{
    // Two weeks around today in working hours, local time (stored as UTC by the services): three to five jobs
    // on weekdays, two on Saturdays, none on Sundays, and at least three today whatever the day.
    static const QList<int> durations{60, 90, 120, 150, 180};
    QList<PlannedTicket> plans;
    for (int day = -7; day <= 7; ++day) {
        const QDate date = m_today.addDays(day);
        int wanted = date.dayOfWeek() == Qt::Sunday     ? 0
                     : date.dayOfWeek() == Qt::Saturday ? 2
                                                        : bounded(3, 5);
        if (day == 0)
            wanted = std::max(wanted, 3);
        int minute = 8 * 60;
        for (int i = 0; i < wanted; ++i) {
            const int duration = pick(durations);
            if (minute + duration > 18 * 60)
                break; // the day is full (three jobs of three hours always fit)
            const QDateTime local(date, QTime(minute / 60, minute % 60));
            plans.append({day, i, local.toUTC(), duration, bounded(0, int(m_customers.size()) - 1)});
            minute = (minute + duration + 30 + 14) / 15 * 15; // travel time, then the next quarter hour
        }
    }

    // Statuses come from the position, not the dice, so every demo has each of them: past jobs are completed
    // except every ninth (cancelled); today the first is done, the second in progress, the rest scheduled;
    // future jobs are scheduled except every eleventh (cancelled by the customer).
    int ticketNumber = 0;
    int pastNumber = 0;
    int futureNumber = 0;
    int completedNumber = 0;
    for (const PlannedTicket &plan : std::as_const(plans)) {
        const Customer &customer = m_customers.at(plan.customer);
        TicketCreate create;
        create.contactId = customer.contactId;
        create.addressId = pick(customer.addressIds);
        create.scheduledAt = plan.scheduledAt;
        create.scheduledDurationMinutes = plan.durationMinutes;
        const QString note = pick(ticketNotes());
        if (bounded(1, 4) == 1)
            create.notes = note;
        auto ticket = m_core.tickets.create(create);
        if (!ticket)
            return during(QStringLiteral("creating a ticket"), ticket.error());
        FB_TRY(fillTicket(ticket->id, ticketNumber++));

        if (plan.dayOffset < 0) {
            if (pastNumber++ % 9 == 4) {
                if (auto cancelled = m_core.tickets.cancel(ticket->id); !cancelled)
                    return during(QStringLiteral("cancelling a ticket"), cancelled.error());
            } else {
                FB_TRY(completeTicket(ticket->id, plan, completedNumber++, false));
            }
        } else if (plan.dayOffset == 0) {
            if (plan.indexInDay == 0) {
                FB_TRY(completeTicket(ticket->id, plan, completedNumber++, true));
            } else if (plan.indexInDay == 1) {
                if (auto started = m_core.tickets.clockIn(ticket->id); !started)
                    return during(QStringLiteral("clocking in"), started.error());
            }
        } else if (futureNumber++ % 11 == 5) {
            if (auto cancelled = m_core.tickets.cancel(ticket->id); !cancelled)
                return during(QStringLiteral("cancelling a ticket"), cancelled.error());
        } else if (plan.dayOffset >= 2 && m_remindersScheduled < 3) {
            FB_TRY(scheduleReminder(plan));
        }
    }
    return {};
}

Status DemoDataGenerator::fillTicket(const QUuid &ticketId, int ticketNumber)
{
    // The first item's pricing type rotates with the ticket, so every demo has all three.
    const int items = bounded(1, 3);
    QSet<QUuid> used;
    for (int i = 0; i < items; ++i) {
        CatalogEntry entry;
        if (i == 0) {
            QList<CatalogEntry> ofType;
            for (const CatalogEntry &candidate : std::as_const(m_catalog))
                if (candidate.pricing == ticketNumber % 3)
                    ofType.append(candidate);
            entry = pick(ofType);
        } else {
            entry = pick(m_catalog);
        }
        for (int tries = 0; tries < 10 && used.contains(entry.id); ++tries)
            entry = pick(m_catalog);
        if (used.contains(entry.id))
            continue;
        used.insert(entry.id);

        LineItemCreate item;
        item.serviceId = entry.id;
        item.quantity = bounded(entry.minQuantity, entry.maxQuantity);
        if (PricingType(entry.pricing) == PricingType::Flexible) {
            item.unitPrice = Money::fromCents(qint64(bounded(15, 90)) * 500); // $75 to $450 in $5 steps
            item.description = pick(entry.descriptions);
        }
        if (auto added = m_core.tickets.addLineItem(ticketId, item); !added)
            return during(QStringLiteral("adding a line item"), added.error());
    }
    return {};
}

Status DemoDataGenerator::completeTicket(const QUuid &ticketId, const PlannedTicket &plan,
                                         int completedNumber, bool clocked)
{
    // Today's finished job goes through the real clock: clock in, clock out, close out. Past jobs cannot: the
    // clock records "now", and a job from last Tuesday clocked today would be false data. They are closed out
    // the way a technician enters a job after the fact: the confirmed duration and notes at close-out (step
    // 1), then the confirmed attributes and follow-up (step 2), so the handlers persist attributes and
    // reach-outs. Their clock times stay empty; closed_at, like every audit time, is when the demo ran.
    if (clocked) {
        if (auto in = m_core.tickets.clockIn(ticketId); !in)
            return during(QStringLiteral("clocking in"), in.error());
        if (auto out = m_core.tickets.clockOut(ticketId); !out)
            return during(QStringLiteral("clocking out"), out.error());
    }
    const CloseOut &closeOut = completedNumber == 0 ? closeOuts().first() : pick(closeOuts());
    const QString notes = QString::fromUtf8(closeOut.notes);
    const int minutes = std::max(15, (plan.durationMinutes + bounded(-20, 25)) / 5 * 5);
    if (auto step1 = m_core.tickets.initiateCloseOut(
            ticketId, minutes, notes.isEmpty() ? std::nullopt : std::optional<QString>(notes));
        !step1)
        return during(QStringLiteral("closing out a ticket"), step1.error());

    // Every fifth close-out asks for a reach-out (starting with the second), others schedule now or nothing.
    static const QList<int> reachOutMonths{3, 6, 12};
    const int months = pick(reachOutMonths);
    NextServiceAction next = NextServiceAction::NoFollowup;
    std::optional<int> reachOut;
    if (completedNumber % 5 == 1) {
        next = NextServiceAction::ReachOut;
        reachOut = months;
    } else if (completedNumber % 5 == 3) {
        next = NextServiceAction::ScheduleNow;
    }
    if (auto step2 = m_core.tickets.finalizeCloseOut(ticketId, closeOut.attributes, next, reachOut); !step2)
        return during(QStringLiteral("finalizing a close-out"), step2.error());
    return invoiceTicket(ticketId, completedNumber);
}

Status DemoDataGenerator::invoiceTicket(const QUuid &ticketId, int completedNumber)
{
    // Older jobs are mostly paid; the pattern repeats every six so each status appears: paid x3, sent, draft,
    // and a void one (sent with the wrong amount) re-issued as a new draft.
    auto invoice = m_core.invoices.createFromTicket(ticketId);
    if (!invoice)
        return during(QStringLiteral("invoicing a ticket"), invoice.error());
    const int step = completedNumber % 6;
    if (step == 4)
        return {};
    if (auto sent = m_core.invoices.send(invoice->id); !sent)
        return during(QStringLiteral("sending an invoice"), sent.error());
    if (step <= 2) {
        if (auto paid = m_core.invoices.markPaid(invoice->id); !paid)
            return during(QStringLiteral("marking an invoice paid"), paid.error());
    } else if (step == 5) {
        if (auto voided =
                m_core.invoices.voidInvoice(invoice->id, QStringLiteral("Sent with the wrong amount"));
            !voided)
            return during(QStringLiteral("voiding an invoice"), voided.error());
        if (auto reissued = m_core.invoices.createFromTicket(ticketId); !reissued)
            return during(QStringLiteral("re-issuing an invoice"), reissued.error());
    }
    return {};
}

Status DemoDataGenerator::scheduleReminder(const PlannedTicket &plan)
{
    const Customer &customer = m_customers.at(plan.customer);
    const QDateTime local = plan.scheduledAt.toLocalTime();
    const QString greeting = customer.firstName.isEmpty() ? QStringLiteral("Hello")
                                                          : QStringLiteral("Hi %1").arg(customer.firstName);
    ScheduledMessageCreate message;
    message.contactId = customer.contactId;
    message.templateName = QStringLiteral("appointment_reminder");
    message.customContent =
        QStringLiteral("%1, a reminder that we will see you on %2.")
            .arg(greeting,
                 QLocale(QLocale::English).toString(local, QStringLiteral("dddd, MMMM d 'at' h:mm AP")));
    message.scheduledFor = QDateTime(local.date().addDays(-1), QTime(18, 0)).toUTC(); // the evening before
    auto scheduled = m_core.messages.schedule(message);
    if (!scheduled)
        return during(QStringLiteral("scheduling a reminder"), scheduled.error());
    ++m_remindersScheduled;
    return {};
}

Result<DemoSummary> DemoDataGenerator::summarize(const QUuid &userId, bool alreadyPresent)
{
    DemoSummary summary;
    summary.userId = userId;
    summary.alreadyPresent = alreadyPresent;
    // Breakdowns by the column that tells the demo's variety: (table, SQL of "label, count" rows).
    const auto breakdown = [&](const QString &sql) -> Result<QString> {
        auto query = m_core.db().exec(sql, {idText(userId)});
        if (!query)
            return query.error();
        QStringList parts;
        while (query->next())
            parts.append(
                QStringLiteral("%1 %2").arg(query->value(0).toString()).arg(query->value(1).toInt()));
        return parts.join(QStringLiteral(", "));
    };
    for (const QString &table : scoping::scopedTables()) {
        auto count = m_core.db().exec(
            QStringLiteral("SELECT count(*) FROM main.%1 WHERE user_id = ?").arg(table), {idText(userId)});
        if (!count)
            return count.error();
        DemoSummary::Count entry{table, count->next() ? count->value(0).toInt() : 0, {}};
        QString sql;
        if (table == QStringLiteral("tickets") || table == QStringLiteral("invoices") ||
            table == QStringLiteral("scheduled_messages"))
            sql = QStringLiteral("SELECT status, count(*) FROM main.%1 WHERE user_id = ? GROUP BY status "
                                 "ORDER BY status")
                      .arg(table);
        else if (table == QStringLiteral("line_items"))
            sql =
                QStringLiteral("SELECT s.pricing_type, count(*) FROM main.line_items l JOIN main.services s "
                               "ON s.id = l.service_id WHERE l.user_id = ? GROUP BY s.pricing_type "
                               "ORDER BY s.pricing_type");
        if (!sql.isEmpty()) {
            auto parts = breakdown(sql);
            if (!parts)
                return parts.error();
            entry.breakdown = *parts;
        }
        summary.counts.append(entry);
    }
    return summary;
}

} // namespace fb
