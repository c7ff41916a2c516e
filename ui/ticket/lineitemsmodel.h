#pragma once

#include "common/rowdiffmodel.h"
#include "models/lineitem.h"

#include <QAbstractTableModel>
#include <QList>

namespace fb::ui {

/// A ticket's line items as the ticket screen lists them: description, quantity, unit price, total.
class LineItemsModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LineItemsModel)

public:
    enum Column
    {
        DescriptionColumn,
        QuantityColumn,
        UnitPriceColumn,
        TotalColumn,
        ColumnCount
    };
    /// The line item's id (QUuid) in every column.
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit LineItemsModel(QObject *parent = nullptr);

    void setItems(const QList<LineItem> &items);
    const QList<LineItem> &items() const { return m_items; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<LineItem> m_items;
};

} // namespace fb::ui
