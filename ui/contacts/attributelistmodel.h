#pragma once

#include "common/rowdiffmodel.h"
#include "models/attribute.h"

#include <QAbstractTableModel>
#include <QList>

namespace fb::ui {

/// A customer's confirmed attributes as a person reads them: "Gate code | 1234", "Has dog | yes".
class AttributeListModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttributeListModel)

public:
    enum Column
    {
        Key,
        Value,
        ColumnCount
    };

    explicit AttributeListModel(QObject *parent = nullptr);

    void setAttributes(const QList<Attribute> &attributes);
    const QList<Attribute> &attributes() const { return m_attributes; }
    const Attribute &at(int row) const { return m_attributes.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Attribute> m_attributes;
};

} // namespace fb::ui
