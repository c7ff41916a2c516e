#include "suggestionlistmodel.h"

#include "common/feedback.h"
#include "common/humanize.h"

namespace fb::ui {

SuggestionListModel::SuggestionListModel(QObject *parent) : RowDiffModel(parent)
{
}

void SuggestionListModel::setSuggestions(const QList<AttributeSuggestion> &suggestions,
                                         const QList<Attribute> &current)
{
    m_current.clear();
    for (const Attribute &attribute : current)
        m_current.insert(attribute.key, attribute.value);
    replaceRows(m_suggestions, suggestions, [](const AttributeSuggestion &row) { return row.id; });
}

int SuggestionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_suggestions.size());
}

int SuggestionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SuggestionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AttributeSuggestion &suggestion = m_suggestions.at(index.row());
    if (role == IdRole)
        return suggestion.id;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Key:
        return humanizeKey(suggestion.key);
    case Value: {
        const QString proposed = attributeValueText(suggestion.value);
        const QJsonValue current = currentValue(suggestion.key);
        if (current.isUndefined())
            return role == Qt::ToolTipRole ? tr("New: %1").arg(proposed) : proposed;
        if (current == suggestion.value)
            return role == Qt::ToolTipRole ? tr("The same as the saved value: %1").arg(proposed)
                                           : tr("%1 (unchanged)").arg(proposed);
        const QString old = attributeValueText(current);
        return role == Qt::ToolTipRole ? tr("Replaces %1 with %2").arg(old, proposed)
                                       : QStringLiteral("%1 \u2192 %2").arg(old, proposed);
    }
    case Suggested:
        return formatLocal(suggestion.createdAt);
    default:
        return {};
    }
}

QVariant SuggestionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Key:
        return tr("Attribute");
    case Value:
        return tr("Suggestion");
    case Suggested:
        return tr("Suggested");
    default:
        return {};
    }
}

} // namespace fb::ui
