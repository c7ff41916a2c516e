#pragma once

#include "common/rowdiffmodel.h"
#include "extraction/extractionqueue.h"
#include "models/attribute.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace fb::ui {

/// A customer's suggested attributes waiting for review (what the model read in queued close-out notes):
/// the attribute, the suggestion ("1234 -> 4312" when the customer already has a value for that key) and
/// when it was suggested.
class SuggestionListModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SuggestionListModel)

public:
    enum Column
    {
        Key,
        Value,
        Suggested,
        ColumnCount
    };
    /// The suggestion's id (QUuid) on every cell.
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit SuggestionListModel(QObject *parent = nullptr);

    /// `current`: the customer's confirmed attributes, to show what a suggestion would replace.
    void setSuggestions(const QList<AttributeSuggestion> &suggestions, const QList<Attribute> &current);
    const AttributeSuggestion &at(int row) const { return m_suggestions.at(row); }
    /// The confirmed value of `key`, or an undefined value when the customer has none.
    QJsonValue currentValue(const QString &key) const { return m_current.value(key, QJsonValue::Undefined); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<AttributeSuggestion> m_suggestions;
    QHash<QString, QJsonValue> m_current;
};

} // namespace fb::ui
