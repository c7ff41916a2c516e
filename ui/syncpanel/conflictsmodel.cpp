#include "conflictsmodel.h"

#include "common/feedback.h"
#include "common/humanize.h"
#include "core.h"
#include "history/historydescriber.h"

namespace fb::ui {

namespace {

/// The entity type an id column refers to ("address_id" -> "address"), or empty.
QString referencedType(const QString &field)
{
    static const QHash<QString, QString> types{{QStringLiteral("address_id"), QStringLiteral("address")},
                                               {QStringLiteral("contact_id"), QStringLiteral("contact")},
                                               {QStringLiteral("service_id"), QStringLiteral("service")},
                                               {QStringLiteral("ticket_id"), QStringLiteral("ticket")},
                                               {QStringLiteral("source_note_id"), QStringLiteral("note")}};
    return types.value(field);
}

QString valueText(HistoryDescriber &describer, const QString &entityType, const QString &field,
                  const QJsonValue &value)
{
    const QString referenced = referencedType(field);
    if (!referenced.isEmpty() && value.isString())
        return describer.subject(referenced, QUuid::fromString(value.toString()));
    return HistoryDescriber::valueText(entityType, field, value);
}

} // namespace

ConflictsModel::ConflictsModel(QObject *parent) : QAbstractTableModel(parent)
{
}

QString ConflictsModel::fieldText(const QString &entityType, const QString &field)
{
    static const QHash<QString, QString> words{
        {QStringLiteral("scheduled_at"), tr("time")},
        {QStringLiteral("scheduled_duration_minutes"), tr("planned length")},
        {QStringLiteral("address_id"), tr("address")},
        {QStringLiteral("contact_id"), tr("customer")},
        {QStringLiteral("clock_in_at"), tr("clock-in time")},
        {QStringLiteral("clock_out_at"), tr("clock-out time")},
        {QStringLiteral("actual_duration_minutes"), tr("time on site")},
        {QStringLiteral("closed_at"), tr("close-out")},
        {QStringLiteral("deleted_at"), tr("deletion")},
        {QStringLiteral("total_price"), tr("total")},
        {QStringLiteral("total_amount"), tr("amount")},
        {QStringLiteral("default_price"), tr("price")},
        {QStringLiteral("service_id"), tr("service")},
        {QStringLiteral("scheduled_for"), tr("send date")},
    };
    if (entityType == QLatin1String("note") && field == QLatin1String("content"))
        return tr("text");
    return words.value(field, humanizeKey(field).toLower());
}

QString ConflictsModel::outcomeText(const SyncConflict &conflict)
{
    switch (conflict.outcome) {
    case SyncConflict::Outcome::Theirs:
        return tr("the office's kept");
    case SyncConflict::Outcome::Mine:
        return tr("yours kept");
    case SyncConflict::Outcome::Deleted:
        return tr("deleted at the office");
    case SyncConflict::Outcome::Kept:
        return tr("yours kept (deleted at the office)");
    case SyncConflict::Outcome::Unknown:
        break;
    }
    return conflict.outcomeText;
}

ConflictsModel::Row ConflictsModel::describe(HistoryDescriber &describer, const SyncConflict &conflict)
{
    Row row;
    row.cells[When] = formatLocal(conflict.detectedAt);
    row.cells[What] = describer.subject(conflict.entityType, conflict.entityId);
    row.cells[Field] = fieldText(conflict.entityType, conflict.field);
    row.cells[Theirs] = valueText(describer, conflict.entityType, conflict.field, conflict.theirs);
    row.cells[Mine] = valueText(describer, conflict.entityType, conflict.field, conflict.mine);
    row.cells[Outcome] = outcomeText(conflict);
    row.theirsAuthor = conflict.theirsAuthor;
    return row;
}

Status ConflictsModel::load(Core &core)
{
    auto conflicts = core.conflicts.list();
    if (!conflicts)
        return conflicts.error();
    // One describer for the whole list: each thing's trail is read once.
    HistoryDescriber describer(core);
    QList<Row> rows;
    rows.reserve(conflicts->size());
    for (const SyncConflict &conflict : std::as_const(*conflicts))
        rows.append(describe(describer, conflict));
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    return {};
}

int ConflictsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConflictsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConflictsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == Qt::DisplayRole)
        return row.cells[index.column()];
    if (role == Qt::ToolTipRole) {
        if (index.column() == Theirs && !row.theirsAuthor.isEmpty())
            return tr("%1 (by %2)").arg(row.cells[Theirs], row.theirsAuthor);
        return row.cells[index.column()]; // long values are cut in the cell
    }
    return {};
}

QVariant ConflictsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case What:
        return tr("What");
    case Field:
        return tr("Field");
    case Theirs:
        return tr("Theirs");
    case Mine:
        return tr("Yours");
    case Outcome:
        return tr("Outcome");
    default:
        return {};
    }
}

} // namespace fb::ui
