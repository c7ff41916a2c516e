#include "contactlistmodel.h"

#include "common/feedback.h"

#include <QFont>
#include <QLocale>

#include <utility>

namespace fb::ui {

namespace {

QString localDate(const QDateTime &utc)
{
    return utc.isValid() ? QLocale().toString(utc.toLocalTime().date(), QLocale::ShortFormat) : QString();
}

} // namespace

ContactListModel::ContactListModel(QObject *parent) : RowDiffModel(parent)
{
}

void ContactListModel::setContacts(const QList<Contact> &contacts,
                                   const QHash<QUuid, ContactActivity> &activity)
{
    replaceAll(contacts, activity, {});
}

void ContactListModel::setHits(const QList<ContactSearchHit> &hits,
                               const QHash<QUuid, ContactActivity> &activity)
{
    QList<Contact> contacts;
    contacts.reserve(hits.size());
    QHash<QUuid, ContactSearchHit> byContact;
    byContact.reserve(hits.size());
    for (const ContactSearchHit &hit : hits) {
        contacts.append(hit.contact);
        byContact.insert(hit.contact.id, hit);
    }
    replaceAll(contacts, activity, std::move(byContact));
}

void ContactListModel::replaceAll(const QList<Contact> &contacts,
                                  const QHash<QUuid, ContactActivity> &activity,
                                  QHash<QUuid, ContactSearchHit> hits)
{
    // The rows added read the new activity and matches as they come in; a row kept is announced as changed
    // only when something it shows changed (the same customers read again after a change elsewhere: none).
    m_dateTexts.clear();
    const QHash<QUuid, ContactActivity> oldActivity = std::exchange(m_activity, activity);
    const QHash<QUuid, ContactSearchHit> oldHits = std::exchange(m_hits, std::move(hits));
    replaceRows(
        m_contacts, contacts, [](const Contact &row) { return row.id; },
        [&](const Contact &old, const Contact &fresh) {
            return sameActivity(oldActivity.value(old.id), m_activity.value(fresh.id)) &&
                   sameHit(oldHits.constFind(old.id), oldHits.cend(), m_hits.constFind(fresh.id),
                           m_hits.cend()) &&
                   old.toRow() == fresh.toRow();
        });
}

QString ContactListModel::dateText(const QDateTime &utc) const
{
    // Each date in local time once per list read, not per cell painted or measured (a conversion to local
    // time looks the time zone up again each time).
    if (!utc.isValid())
        return {};
    const qint64 key = utc.toMSecsSinceEpoch();
    if (const auto known = m_dateTexts.constFind(key); known != m_dateTexts.cend())
        return *known;
    return *m_dateTexts.insert(key, localDate(utc));
}

bool ContactListModel::sameActivity(const ContactActivity &a, const ContactActivity &b)
{
    return a.lastVisit == b.lastVisit && a.openTickets == b.openTickets &&
           a.unpaidInvoices == b.unpaidInvoices && a.unpaidTotal == b.unpaidTotal;
}

bool ContactListModel::sameHit(QHash<QUuid, ContactSearchHit>::const_iterator a,
                               QHash<QUuid, ContactSearchHit>::const_iterator aEnd,
                               QHash<QUuid, ContactSearchHit>::const_iterator b,
                               QHash<QUuid, ContactSearchHit>::const_iterator bEnd)
{
    if ((a == aEnd) != (b == bEnd))
        return false;
    if (a == aEnd)
        return true;
    if (a->match != b->match || a->address.has_value() != b->address.has_value())
        return false;
    return !a->address || a->address->toRow() == b->address->toRow();
}

int ContactListModel::matchedColumn(const ContactSearchHit &hit)
{
    switch (hit.match) {
    case SearchMatch::Name:
        return Name;
    case SearchMatch::Phone:
        return Phone;
    case SearchMatch::Email:
        return Email;
    case SearchMatch::Address:
        return Address;
    case SearchMatch::Other:
        break;
    }
    return -1;
}

int ContactListModel::rowOf(const QUuid &id) const
{
    for (int row = 0; row < m_contacts.size(); ++row) {
        if (m_contacts.at(row).id == id)
            return row;
    }
    return -1;
}

int ContactListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_contacts.size());
}

int ContactListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ContactListModel::toolTip(const Contact &contact) const
{
    QStringList lines{contact.name};
    const ContactActivity activity = m_activity.value(contact.id);
    // Plurals spelled out: without a translation loaded, %n plurals read "2 ticket(s)".
    if (activity.openTickets == 1)
        lines << tr("1 open ticket");
    else if (activity.openTickets > 1)
        lines << tr("%1 open tickets").arg(activity.openTickets);
    const QString owed = formatMoney(activity.unpaidTotal.cents());
    if (activity.unpaidInvoices == 1)
        lines << tr("1 unpaid invoice: %1").arg(owed);
    else if (activity.unpaidInvoices > 1)
        lines << tr("%1 unpaid invoices: %2").arg(activity.unpaidInvoices).arg(owed);
    if (activity.lastVisit.isValid())
        lines << tr("Last visit %1").arg(formatLocal(activity.lastVisit));
    return lines.join(QLatin1Char('\n'));
}

QVariant ContactListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Contact &contact = m_contacts.at(index.row());
    if (role == IdRole)
        return contact.id;
    const auto hit = m_hits.constFind(contact.id);
    const bool matched = hit != m_hits.cend() && matchedColumn(*hit) == index.column();
    if (role == Qt::FontRole && matched) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole) {
        if (!matched)
            return toolTip(contact);
        static const QHash<int, QString> found{{Name, tr("Found by the name")},
                                               {Phone, tr("Found by the phone")},
                                               {Email, tr("Found by the e-mail")},
                                               {Address, tr("Found by this address")}};
        return QString(found.value(index.column()) + QLatin1Char('\n') + toolTip(contact));
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sorting = role == SortRole;
    switch (index.column()) {
    case Name:
        // Folded for sorting: a locale-aware comparison is case-sensitive in the C locale ("Zoe" < "adam").
        return sorting ? contact.name.toCaseFolded() : contact.name;
    case Phone:
        return contact.phone.value_or(QString());
    case Email:
        return contact.email.value_or(QString());
    case Address: {
        if (hit == m_hits.cend() || !hit->address)
            return QString();
        // The address first and its label after it: in a narrow column the street is what tells two
        // customers apart, and eliding cuts the label rather than the street.
        const QString line = hit->address->oneLine();
        return hit->address->label && !hit->address->label->isEmpty()
                   ? QStringLiteral("%1 (%2)").arg(line, *hit->address->label)
                   : line;
    }
    case LastVisit: {
        const QDateTime last = m_activity.value(contact.id).lastVisit;
        return sorting ? QVariant(last) : QVariant(dateText(last));
    }
    case Since:
        return sorting ? QVariant(contact.createdAt) : QVariant(dateText(contact.createdAt));
    default:
        return {};
    }
}

QVariant ContactListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Phone:
        return tr("Phone");
    case Email:
        return tr("E-mail");
    case Address:
        return tr("Address");
    case LastVisit:
        return tr("Last visit");
    case Since:
        return tr("Customer since");
    default:
        return {};
    }
}

} // namespace fb::ui
