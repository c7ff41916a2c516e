#pragma once

#include "common/rowdiffmodel.h"
#include "models/invoice.h"

#include <QAbstractTableModel>
#include <QList>

namespace fb::ui {

/// One customer's invoices, newest first: date, status (a badge) and total in the locale's currency.
class ContactInvoicesModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactInvoicesModel)

public:
    enum Column
    {
        Date,
        Status,
        Total,
        ColumnCount
    };
    /// The invoice's id (QUuid) on every cell.
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit ContactInvoicesModel(QObject *parent = nullptr);

    void setInvoices(const QList<Invoice> &invoices);
    const QList<Invoice> &invoices() const { return m_invoices; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Invoice> m_invoices;
};

} // namespace fb::ui
