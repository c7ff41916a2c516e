#pragma once

#include "util/result.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QRandomGenerator>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace fb {

class Core;

/// What `fieldbook demo` found or created for the demo profile, per entity table.
struct DemoSummary
{
    QUuid userId;
    bool alreadyPresent = false; ///< the profile already had data: nothing was added
    /// (table, rows of the demo profile) in foreign-key order, with a breakdown such as "completed 20, ..."
    struct Count
    {
        QString table;
        int rows = 0;
        QString breakdown;
    };
    QList<Count> counts;
    int failedDeliveries = 0; ///< handler runs that failed after the commit (they stay queued for a retry)
};

/// Fills a database with realistic demo data for the profile "Demo Technician" <demo@fieldbook.example>,
/// through the core services only, so every row is scoped, audited and recorded for sync like a user's.
///
/// The content is deterministic: the random generator has a fixed seed and contacts are drawn first, so the
/// same number of contacts gives the same names, e-mails and addresses. The schedule is laid around `today`.
/// Idempotent: when the demo profile already has data, nothing is added.
class DemoDataGenerator final
{
public:
    static constexpr int kDefaultContacts = 30;
    static constexpr int kMaxContacts = 100000;
    static constexpr quint32 kSeed = 20240611;
    static const QString &profileName();
    static const QString &profileEmail();

    DemoDataGenerator(Core &core, QDate today);

    Result<DemoSummary> generate(int contacts);

private:
    struct Customer
    {
        QUuid contactId;
        QString firstName; // for the text of a reminder
        QList<QUuid> addressIds;
    };
    struct CatalogEntry
    {
        QUuid id;
        int pricing = 0; // a PricingType, as int to keep models/enums.h out of this header
        int minQuantity = 1;
        int maxQuantity = 1;
        QStringList descriptions; // what the technician types on a flexible line item
    };
    struct PlannedTicket
    {
        int dayOffset;
        int indexInDay;
        QDateTime scheduledAt;
        int durationMinutes;
        int customer;
    };

    struct DrawnContact;

    Result<QUuid> demoProfile(bool &hasData);
    Status createContacts(int count);
    /// Draws the next contact (its name, e-mail, phone, how many addresses); `emails` keeps them unique.
    DrawnContact drawContact(QSet<QString> &emails);
    /// Draws and saves an address of a saved contact; `first` is its first address.
    Result<QUuid> createAddress(const QUuid &contactId, const DrawnContact &drawn, bool first);
    Status createCatalog();
    Status createContactNotes();
    Status createSchedule();
    Status fillTicket(const QUuid &ticketId, int ticketNumber);
    Status completeTicket(const QUuid &ticketId, const PlannedTicket &plan, int completedNumber,
                          bool clocked);
    Status invoiceTicket(const QUuid &ticketId, int completedNumber);
    Status scheduleReminder(const PlannedTicket &plan);
    Result<DemoSummary> summarize(const QUuid &userId, bool alreadyPresent);

    int bounded(int lowest, int highest); // inclusive
    template <typename T> const T &pick(const QList<T> &values)
    {
        return values.at(int(m_random.bounded(quint32(values.size()))));
    }

    Core &m_core;
    QDate m_today;
    QRandomGenerator m_random;
    QList<Customer> m_customers;
    QList<CatalogEntry> m_catalog;
    int m_remindersScheduled = 0;
};

} // namespace fb
