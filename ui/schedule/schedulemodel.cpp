#include "schedulemodel.h"

#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/feedback.h"
#include "core.h"
#include "services/officechangeservice.h"
#include "util/timeutil.h"

#include <QFont>
#include <QHash>
#include <QLocale>

#include <algorithm>

namespace fb::ui {

ScheduleModel::ScheduleModel(Core &core, QObject *parent) : RowDiffModel(parent), m_core(core)
{
}

Status ScheduleModel::load(const QDate &first, int dayCount)
{
    // Local days as UTC ranges: startOfDay() knows about days that do not start at midnight (DST).
    const QDateTime from = first.startOfDay().toUTC();
    const QDateTime to = first.addDays(dayCount).startOfDay().toUTC();
    auto tickets = m_core.tickets.listRange(from, to);
    if (!tickets)
        return tickets.error();

    // A week shows the same customers and addresses many times: read each once.
    m_customers.clear();
    m_addresses.clear();
    QList<Entry> ticketEntries;
    ticketEntries.reserve(tickets->size());
    for (const Ticket &ticket : std::as_const(*tickets)) {
        auto entry = ticketEntry(ticket);
        if (!entry)
            return entry.error();
        ticketEntries.append(*entry);
    }
    FB_TRY(addOfficeChanges(from, to, ticketEntries));

    QList<Entry> entries = dayCount > 1 ? groupByDay(first, dayCount, ticketEntries) : ticketEntries;
    // Rows that stay keep the selection and the scroll position (a job moved by the office moves under the
    // cursor rather than resetting the list).
    replaceRows(m_entries, std::move(entries), [](const Entry &entry) {
        return entry.isDay ? entry.day.toString(Qt::ISODate) : entry.ticketId.toString(QUuid::WithoutBraces);
    });
    return {};
}

Result<ScheduleModel::Entry> ScheduleModel::ticketEntry(const Ticket &ticket)
{
    Entry entry;
    entry.ticketId = ticket.id;
    entry.status = ticket.status;
    entry.startLocal = ticket.scheduledAt.toLocalTime();
    entry.day = entry.startLocal.date();
    entry.durationMinutes = ticket.scheduledDurationMinutes;
    if (!m_customers.contains(ticket.contactId) || !m_addresses.contains(ticket.addressId)) {
        auto contact = m_core.contacts.getById(ticket.contactId);
        auto address = m_core.addresses.getById(ticket.addressId);
        if (contact && address) {
            m_customers.insert(ticket.contactId, contact->name);
            m_addresses.insert(ticket.addressId, address->oneLine());
        } else {
            // A customer deleted since the booking: the job still shows, under the name it had.
            auto details = m_core.tickets.getWithDetails(ticket.id);
            if (!details)
                return details.error();
            m_customers.insert(ticket.contactId, details->contact.name);
            m_addresses.insert(ticket.addressId, details->address.oneLine());
        }
    }
    entry.customer = m_customers.value(ticket.contactId);
    entry.address = m_addresses.value(ticket.addressId);
    auto items = m_core.tickets.lineItems(ticket.id);
    if (!items)
        return items.error();
    QStringList names;
    for (const LineItem &item : std::as_const(*items)) {
        if (item.description && !item.description->isEmpty())
            names << *item.description;
    }
    entry.services = names.join(QStringLiteral(", "));
    return entry;
}

Status ScheduleModel::addOfficeChanges(const QDateTime &from, const QDateTime &to, QList<Entry> &entries)
{
    // One indexed query over the shown days' jobs (OfficeChangeService::unseen): cheap on every reload.
    auto changes = m_core.officeChanges.unseen(from, to);
    if (!changes)
        return changes.error();
    for (Entry &entry : entries) {
        if (auto change = changes->constFind(entry.ticketId); change != changes->cend()) {
            entry.officeMark = officeMarkText(*change);
            entry.officeMarkToolTip = officeMarkToolTip(*change);
        }
    }
    for (const OfficeChange &change : std::as_const(*changes)) {
        if (!change.deleted)
            continue;
        // Deleted by the office: the services no longer list it; it shows, marked, until it is opened.
        Entry entry;
        entry.ticketId = change.ticketId;
        entry.deleted = true;
        entry.status = TicketStatus::Cancelled;
        entry.startLocal = change.scheduledAt.toLocalTime();
        entry.day = entry.startLocal.date();
        auto contact = m_core.contacts.getById(change.contactId);
        auto address = m_core.addresses.getById(change.addressId);
        entry.customer = contact ? contact->name : tr("(customer removed)");
        entry.address = address ? address->oneLine() : QString();
        entry.officeMark = officeMarkText(change);
        entry.officeMarkToolTip = officeMarkToolTip(change);
        const auto later = std::find_if(entries.begin(), entries.end(),
                                        [&](const Entry &e) { return e.startLocal > entry.startLocal; });
        entries.insert(later, entry);
    }
    return {};
}

QList<ScheduleModel::Entry> ScheduleModel::groupByDay(const QDate &first, int dayCount,
                                                      const QList<Entry> &ticketEntries)
{
    QList<Entry> entries;
    int next = 0;
    for (int d = 0; d < dayCount; ++d) {
        Entry heading;
        heading.isDay = true;
        heading.day = first.addDays(d);
        entries.append(heading);
        const qsizetype headingRow = entries.size() - 1;
        while (next < ticketEntries.size() && ticketEntries.at(next).day == heading.day) {
            entries.append(ticketEntries.at(next++));
            ++entries[headingRow].dayTicketCount;
        }
    }
    return entries;
}

namespace {

/// "Tue 10:00": the app's short day and time, local.
QString dayAndTime(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    return QLocale().toString(local, QStringLiteral("ddd ")) + formatTime(local.time());
}

} // namespace

QString ScheduleModel::officeMarkText(const OfficeChange &change)
{
    const bool mine = change.author.isTechnician;
    if (change.deleted || change.cancelled)
        return mine ? tr("cancelled on your other device") : tr("cancelled by the office");
    if (change.booked)
        return mine ? tr("booked on your other device") : tr("booked by the office");
    QStringList parts;
    if (change.movedTo.isValid()) {
        // The day only when it changed: "Tue 10:00 → Wed 14:00", "10:00 → 14:00".
        const bool sameDay = change.movedFrom.toLocalTime().date() == change.movedTo.toLocalTime().date();
        const QString from =
            sameDay ? formatTime(change.movedFrom.toLocalTime().time()) : dayAndTime(change.movedFrom);
        const QString to =
            sameDay ? formatTime(change.movedTo.toLocalTime().time()) : dayAndTime(change.movedTo);
        parts << (mine ? tr("moved on your other device: %1 → %2") : tr("moved by the office: %1 → %2"))
                     .arg(from, to);
    }
    if (change.durationChanged) {
        const QString lengths = QStringLiteral("%1 → %2").arg(formatDuration(change.durationFrom),
                                                              formatDuration(change.durationTo));
        parts << (!parts.isEmpty() ? tr("length %1").arg(lengths)
                  : mine           ? tr("length changed on your other device: %1").arg(lengths)
                                   : tr("length changed by the office: %1").arg(lengths));
    }
    if (change.addressChanged)
        parts << (!parts.isEmpty() ? tr("new address")
                  : mine           ? tr("address changed on your other device")
                                   : tr("address changed by the office"));
    if (change.statusTo && parts.isEmpty())
        parts << (mine ? tr("now %1 (on your other device)") : tr("now %1 (by the office)"))
                     .arg(statusLabel(*change.statusTo).toLower());
    return parts.join(QStringLiteral(", "));
}

QString ScheduleModel::officeMarkToolTip(const OfficeChange &change)
{
    QString who;
    if (change.author.isTechnician)
        who = tr("You, on another device");
    else if (!change.author.name.isEmpty())
        who = tr("%1 at the office").arg(change.author.name);
    else
        who = tr("The office");
    return tr("%1, %2. Open the job to clear this mark.").arg(who, formatLocal(change.at));
}

void ScheduleModel::setCurrentDay(const QDate &day)
{
    if (day == m_currentDay)
        return;
    m_currentDay = day;
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).isDay)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1), {IsCurrentDayRole});
    }
}

int ScheduleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ScheduleModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ScheduleModel::formatDuration(std::optional<int> minutes)
{
    if (!minutes)
        return QStringLiteral("—");
    const int hours = *minutes / 60;
    const int rest = *minutes % 60;
    if (hours == 0)
        return tr("%1 min").arg(rest);
    if (rest == 0)
        return tr("%1 h").arg(hours);
    return tr("%1 h %2 min").arg(hours).arg(rest);
}

QString ScheduleModel::timeText(const Entry &entry) const
{
    const QString start = formatTime(entry.startLocal.time());
    if (!entry.durationMinutes || *entry.durationMinutes == 0)
        return start;
    const QDateTime end = entry.startLocal.addSecs(qint64(*entry.durationMinutes) * 60);
    return QStringLiteral("%1 – %2").arg(start, formatTime(end.time()));
}

QString ScheduleModel::dayHeading(const Entry &entry) const
{
    QString text = QLocale().toString(entry.day, QStringLiteral("dddd d MMMM"));
    if (entry.day == nowUtc().toLocalTime().date())
        text = tr("%1 (today)").arg(text);
    // Spelled out: without a translation loaded, %n plurals read "2 ticket(s)".
    QString count;
    if (entry.dayTicketCount == 0)
        count = tr("no tickets");
    else if (entry.dayTicketCount == 1)
        count = tr("1 ticket");
    else
        count = tr("%1 tickets").arg(entry.dayTicketCount);
    return QStringLiteral("%1 · %2").arg(text, count);
}

QVariant ScheduleModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Entry &entry = m_entries.at(index.row());
    switch (role) {
    case IsDayRole:
        return entry.isDay;
    case DayRole:
        return entry.day;
    case IsCurrentDayRole:
        return entry.isDay && entry.day == m_currentDay;
    default:
        break;
    }
    if (entry.isDay) {
        if (role == Qt::DisplayRole && index.column() == 0)
            return dayHeading(entry);
        return {};
    }
    switch (role) {
    case TicketIdRole:
        return entry.ticketId;
    case StatusRole:
        return int(entry.status);
    case kBadgeColorRole:
        return index.column() == StatusColumn ? QVariant(badgeColor(entry.status)) : QVariant();
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (Column(index.column())) {
        case TimeColumn:
            return timeText(entry);
        case CustomerColumn:
            return entry.customer;
        case AddressColumn:
            return entry.address;
        case ServicesColumn:
            if (entry.services.isEmpty())
                return role == Qt::DisplayRole ? QStringLiteral("—") : tr("No services yet");
            return entry.services;
        case DurationColumn:
            return formatDuration(entry.durationMinutes);
        case StatusColumn:
            return entry.deleted ? tr("Deleted") : statusLabel(entry.status);
        case ChangesColumn:
            return role == Qt::ToolTipRole && !entry.officeMark.isEmpty()
                       ? QStringLiteral("%1\n%2").arg(entry.officeMark, entry.officeMarkToolTip)
                       : entry.officeMark;
        case ColumnCount:
            break;
        }
        break;
    case OfficeMarkRole:
        return entry.officeMark;
    case Qt::FontRole:
        if (index.column() == ChangesColumn && !entry.officeMark.isEmpty()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        break;
    }
    return {};
}

QVariant ScheduleModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TimeColumn:
        return tr("Time");
    case CustomerColumn:
        return tr("Customer");
    case AddressColumn:
        return tr("Address");
    case ServicesColumn:
        return tr("Services");
    case DurationColumn:
        return tr("Duration");
    case StatusColumn:
        return tr("Status");
    case ChangesColumn:
        return tr("Changed elsewhere");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags ScheduleModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    // Headings are disabled: QTableView's cursor movement skips disabled rows, so Up/Down go ticket to
    // ticket.
    if (isDayRow(index.row()))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

bool ScheduleModel::isDayRow(int row) const
{
    return row >= 0 && row < m_entries.size() && m_entries.at(row).isDay;
}

QUuid ScheduleModel::ticketId(int row) const
{
    if (row < 0 || row >= m_entries.size())
        return {};
    return m_entries.at(row).ticketId;
}

std::optional<TicketStatus> ScheduleModel::status(int row) const
{
    if (row < 0 || row >= m_entries.size() || m_entries.at(row).isDay)
        return std::nullopt;
    return m_entries.at(row).status;
}

int ScheduleModel::rowOf(const QUuid &ticketId) const
{
    if (ticketId.isNull())
        return -1;
    for (int row = 0; row < m_entries.size(); ++row) {
        if (!m_entries.at(row).isDay && m_entries.at(row).ticketId == ticketId)
            return row;
    }
    return -1;
}

int ScheduleModel::nextJobRow(const QDate &day, const QDateTime &nowUtc) const
{
    int lastOpen = -1;
    for (int row = 0; row < m_entries.size(); ++row) {
        const Entry &entry = m_entries.at(row);
        if (entry.isDay || entry.deleted || entry.day != day ||
            (entry.status != TicketStatus::Scheduled && entry.status != TicketStatus::InProgress))
            continue;
        if (entry.status == TicketStatus::InProgress ||
            entry.startLocal.addSecs(60 * entry.durationMinutes.value_or(0)) > nowUtc)
            return row;
        lastOpen = row;
    }
    return lastOpen;
}

bool ScheduleModel::hasOfficeMarks() const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(),
                       [](const Entry &e) { return !e.officeMark.isEmpty(); });
}

int ScheduleModel::ticketCount() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(), [](const Entry &e) { return !e.isDay; }));
}

} // namespace fb::ui
