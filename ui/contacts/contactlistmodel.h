#pragma once

#include "common/rowdiffmodel.h"
#include "models/contact.h"
#include "services/contactservice.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace fb::ui {

/// Customers as the contacts list shows them: name, phone, e-mail, an address (the one a search matched, else
/// the first: it tells two customers of one name apart), last visit and since when they are a customer. After
/// a search, the field that matched is in bold with a tooltip saying so. SortRole gives each column a value
/// that sorts as a person expects (dates as dates).
class ContactListModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactListModel)

public:
    enum Column
    {
        Name,
        Phone,
        Email,
        Address,
        LastVisit,
        Since,
        ColumnCount
    };
    /// The contact's id (QUuid) on every cell.
    static constexpr int IdRole = Qt::UserRole + 1;
    /// What the column sorts by: the name as text, dates as QDateTime (never visited: an invalid one, which
    /// sorts before every date).
    static constexpr int SortRole = Qt::UserRole + 2;

    explicit ContactListModel(QObject *parent = nullptr);

    /// `activity` (ContactService::activity) fills the last visit and the open work in the tooltips;
    /// customers absent from it have none.
    void setContacts(const QList<Contact> &contacts, const QHash<QUuid, ContactActivity> &activity = {});
    /// A search's results (ContactService::searchHits): the customers, what matched and the address shown.
    void setHits(const QList<ContactSearchHit> &hits, const QHash<QUuid, ContactActivity> &activity = {});
    const QList<Contact> &contacts() const { return m_contacts; }
    /// The row of the contact with `id`, or -1.
    int rowOf(const QUuid &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void replaceAll(const QList<Contact> &contacts, const QHash<QUuid, ContactActivity> &activity,
                    QHash<QUuid, ContactSearchHit> hits);
    static bool sameActivity(const ContactActivity &a, const ContactActivity &b);
    /// Whether two lookups in the matches (end: not a search's result) show the same.
    static bool sameHit(QHash<QUuid, ContactSearchHit>::const_iterator a,
                        QHash<QUuid, ContactSearchHit>::const_iterator aEnd,
                        QHash<QUuid, ContactSearchHit>::const_iterator b,
                        QHash<QUuid, ContactSearchHit>::const_iterator bEnd);
    QString toolTip(const Contact &contact) const;
    /// The date of `utc` in local time, as the list shows it ("" when invalid).
    QString dateText(const QDateTime &utc) const;

    /// The column that matched the search in `hit`, or -1.
    static int matchedColumn(const ContactSearchHit &hit);

    QList<Contact> m_contacts;
    QHash<QUuid, ContactActivity> m_activity;
    QHash<QUuid, ContactSearchHit> m_hits;      ///< by contact; empty after setContacts()
    mutable QHash<qint64, QString> m_dateTexts; ///< dateText() by UTC ms, since the rows were last replaced
};

} // namespace fb::ui
