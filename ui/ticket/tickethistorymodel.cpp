#include "tickethistorymodel.h"

#include "common/badges.h"
#include "common/feedback.h"
#include "common/humanize.h"
#include "models/enums.h"
#include "util/timeutil.h"

#include <QJsonObject>
#include <QStringList>

namespace fb::ui {

namespace {

const QString kNone = QStringLiteral("—");

QString fieldLabel(const QString &field)
{
    // The fields a technician changes by hand read as the screen names them; others are humanised.
    static const QHash<QString, const char *> labels{
        {QStringLiteral("clock_in_at"), QT_TRANSLATE_NOOP("fb::ui::TicketHistoryModel", "Clock in")},
        {QStringLiteral("clock_out_at"), QT_TRANSLATE_NOOP("fb::ui::TicketHistoryModel", "Clock out")},
        {QStringLiteral("scheduled_at"), QT_TRANSLATE_NOOP("fb::ui::TicketHistoryModel", "Scheduled")},
        {QStringLiteral("scheduled_duration_minutes"),
         QT_TRANSLATE_NOOP("fb::ui::TicketHistoryModel", "Planned duration")},
        {QStringLiteral("actual_duration_minutes"),
         QT_TRANSLATE_NOOP("fb::ui::TicketHistoryModel", "Actual duration")},
        {QStringLiteral("closed_at"), QT_TRANSLATE_NOOP("fb::ui::TicketHistoryModel", "Closed")},
        {QStringLiteral("address_id"), QT_TRANSLATE_NOOP("fb::ui::TicketHistoryModel", "Address")},
        {QStringLiteral("total_price"), QT_TRANSLATE_NOOP("fb::ui::TicketHistoryModel", "Total")},
    };
    if (const auto it = labels.constFind(field); it != labels.constEnd())
        return TicketHistoryModel::tr(it.value());
    return humanizeKey(field);
}

QString valueText(const QString &field, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return kNone;
    if (field.endsWith(QLatin1String("_at")))
        return formatLocal(fromStoredTime(value.toVariant()));
    if (field == QLatin1String("status")) {
        if (auto status = parseTicketStatus(value.toString()))
            return statusLabel(*status);
        return value.toString();
    }
    if (field.endsWith(QLatin1String("_price")))
        return formatMoney(value.toInteger());
    if (field.endsWith(QLatin1String("_minutes")))
        return TicketHistoryModel::tr("%n min", nullptr, value.toInt());
    QString text = attributeValueText(value).simplified();
    if (text.size() > 60)
        text = text.left(59) + QChar(0x2026);
    return text;
}

bool isBookkeeping(const QString &field)
{
    return field == QLatin1String("id") || field == QLatin1String("user_id") ||
           field == QLatin1String("updated_at") || field == QLatin1String("created_at") ||
           field == QLatin1String("ticket_id") || field == QLatin1String("service_id") ||
           field == QLatin1String("contact_id");
}

QString describeUpdate(const QJsonObject &changes)
{
    QStringList parts;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (isBookkeeping(it.key()))
            continue;
        // An id changing (another address) says only that it changed: the ids mean nothing to a person.
        if (it.key().endsWith(QLatin1String("_id"))) {
            parts.append(TicketHistoryModel::tr("%1 changed").arg(fieldLabel(it.key())));
            continue;
        }
        const QJsonObject change = it.value().toObject();
        parts.append(QStringLiteral("%1: %2 → %3")
                         .arg(fieldLabel(it.key()), valueText(it.key(), change.value(QStringLiteral("old"))),
                              valueText(it.key(), change.value(QStringLiteral("new")))));
    }
    return parts.join(QStringLiteral("; "));
}

QString describeLineItem(const QJsonObject &row)
{
    return TicketHistoryModel::tr("%1, %2 × %3 = %4")
        .arg(row.value(QStringLiteral("description")).toString())
        .arg(row.value(QStringLiteral("quantity")).toInt())
        .arg(valueText(QStringLiteral("unit_price"), row.value(QStringLiteral("unit_price"))),
             valueText(QStringLiteral("total_price"), row.value(QStringLiteral("total_price"))));
}

} // namespace

TicketHistoryModel::TicketHistoryModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void TicketHistoryModel::setRows(const QList<Row> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

TicketHistoryModel::Row TicketHistoryModel::describe(const AuditEntry &entry, const QString &subject)
{
    const bool lineItem = entry.entityType == QLatin1String("line_item");
    Row row;
    row.at = entry.createdAt;
    row.subject = subject;
    switch (entry.action) {
    case AuditAction::Create: {
        const QJsonObject created = entry.changes.value(QStringLiteral("created")).toObject();
        row.action = lineItem ? tr("Added") : tr("Created");
        row.changes = lineItem ? describeLineItem(created)
                               : tr("Scheduled for %1")
                                     .arg(valueText(QStringLiteral("scheduled_at"),
                                                    created.value(QStringLiteral("scheduled_at"))));
        break;
    }
    case AuditAction::Update:
        row.action = tr("Changed");
        row.changes = describeUpdate(entry.changes);
        break;
    case AuditAction::Delete: {
        const QJsonObject deleted = entry.changes.value(QStringLiteral("deleted")).toObject();
        row.action = lineItem ? tr("Removed") : tr("Deleted");
        row.changes = lineItem ? describeLineItem(deleted) : QString();
        break;
    }
    }
    return row;
}

int TicketHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TicketHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TicketHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == ChangesColumn)
        return QString(row.changes).replace(QStringLiteral("; "), QStringLiteral("\n"));
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case WhenColumn:
        return formatLocal(row.at);
    case SubjectColumn:
        return row.subject;
    case ActionColumn:
        return row.action;
    case ChangesColumn:
        return row.changes;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TicketHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case WhenColumn:
        return tr("When");
    case SubjectColumn:
        return tr("What");
    case ActionColumn:
        return tr("Action");
    case ChangesColumn:
        return tr("Changes");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace fb::ui
