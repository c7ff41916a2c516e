#include "quarantinemodel.h"

#include "common/feedback.h"
#include "common/humanize.h"

#include <QStringList>

namespace fb::ui {

QuarantineModel::QuarantineModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void QuarantineModel::setChanges(QList<QuarantinedChange> changes, const QHash<QUuid, QString> &labels)
{
    beginResetModel();
    m_changes = std::move(changes);
    m_labels = labels;
    endResetModel();
}

QString QuarantineModel::changeText(const QuarantinedChange &change)
{
    if (change.action == QLatin1String("create"))
        return tr("Created");
    if (change.action == QLatin1String("delete"))
        return tr("Deleted");
    if (change.fields.isEmpty())
        return tr("Changed");
    QStringList fields;
    for (const QString &field : change.fields)
        fields << humanizeKey(field).toLower();
    return tr("Changed %1").arg(fields.join(QStringLiteral(", ")));
}

int QuarantineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

int QuarantineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QuarantineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QuarantinedChange &change = m_changes.at(index.row());
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Entity: {
        const QString label = m_labels.value(change.entityId);
        if (!label.isEmpty())
            return label;
        return QStringLiteral("%1 %2").arg(humanizeKey(change.entityType),
                                           change.entityId.toString(QUuid::WithoutBraces).left(8));
    }
    case Change:
        return changeText(change);
    case Reason:
        return change.reason;
    case Since:
        return role == Qt::ToolTipRole ? QVariant(change.at.toLocalTime()) : QVariant(formatLocal(change.at));
    default:
        return {};
    }
}

QVariant QuarantineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Entity:
        return tr("Record");
    case Change:
        return tr("Change");
    case Reason:
        return tr("Why the server refused it");
    case Since:
        return tr("Since");
    default:
        return {};
    }
}

} // namespace fb::ui
