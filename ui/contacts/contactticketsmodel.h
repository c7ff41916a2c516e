#pragma once

#include "common/rowdiffmodel.h"
#include "models/address.h"
#include "models/ticket.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace fb::ui {

/// One customer's tickets, newest first: when (local time), status (a badge) and where.
class ContactTicketsModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactTicketsModel)

public:
    enum Column
    {
        When,
        Status,
        Where,
        ColumnCount
    };
    /// The ticket's id (QUuid) on every cell.
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit ContactTicketsModel(QObject *parent = nullptr);

    /// `addresses` name the tickets' places.
    void setTickets(const QList<Ticket> &tickets, const QList<Address> &addresses);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Ticket> m_tickets;
    QHash<QUuid, QString> m_places;
};

} // namespace fb::ui
