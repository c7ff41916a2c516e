#include "historydescriber.h"

#include "common/badges.h"
#include "common/feedback.h"
#include "common/humanize.h"
#include "core.h"
#include "models/enums.h"
#include "util/timeutil.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace fb::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fb::ui::HistoryDescriber", text);
}

const QString kNone = QStringLiteral("\u2014");
constexpr int kLongestValue = 60;

bool isMoney(const QString &field)
{
    static const QSet<QString> money{QStringLiteral("default_price"), QStringLiteral("unit_price"),
                                     QStringLiteral("total_price"), QStringLiteral("total_amount")};
    return money.contains(field);
}

/// Fields a person has no use for in a created or deleted row: ids and bookkeeping times.
bool isBookkeeping(const QString &field)
{
    return field == QLatin1String("id") || field.endsWith(QLatin1String("_id")) ||
           field == QLatin1String("created_at") || field == QLatin1String("updated_at") ||
           field == QLatin1String("deleted_at");
}

QString shortened(const QString &text)
{
    const QString simple = text.simplified();
    return simple.size() > kLongestValue ? simple.left(kLongestValue - 1) + QChar(0x2026) : simple;
}

QString statusText(const QString &entityType, const QString &text)
{
    if (entityType == QLatin1String("ticket")) {
        if (auto status = parseTicketStatus(text))
            return statusLabel(*status);
    } else if (entityType == QLatin1String("invoice")) {
        if (auto status = parseInvoiceStatus(text))
            return statusLabel(*status);
    } else if (entityType == QLatin1String("scheduled_message")) {
        if (auto status = parseMessageStatus(text))
            return statusLabel(*status);
    }
    return humanizeKey(text);
}

/// A field as a person names it: the ones a technician sets by hand as the ticket screen names them, the
/// others humanised ("scheduled_duration_minutes" -> "Planned duration": the value says "60 min" already).
QString fieldLabel(const QString &field)
{
    static const QHash<QString, const char *> labels{
        {QStringLiteral("clock_in_at"), QT_TRANSLATE_NOOP("fb::ui::HistoryDescriber", "Clock in")},
        {QStringLiteral("clock_out_at"), QT_TRANSLATE_NOOP("fb::ui::HistoryDescriber", "Clock out")},
        {QStringLiteral("closed_at"), QT_TRANSLATE_NOOP("fb::ui::HistoryDescriber", "Closed")},
        {QStringLiteral("scheduled_duration_minutes"),
         QT_TRANSLATE_NOOP("fb::ui::HistoryDescriber", "Planned duration")},
        {QStringLiteral("actual_duration_minutes"),
         QT_TRANSLATE_NOOP("fb::ui::HistoryDescriber", "Actual duration")},
    };
    if (const auto it = labels.constFind(field); it != labels.constEnd())
        return tr(it.value());
    if (field.endsWith(QLatin1String("_minutes")))
        return humanizeKey(field.chopped(8));
    return humanizeKey(field);
}

/// The fields that say what a row is come first; the rest in name order (QJsonObject's order).
QStringList orderedFields(const QJsonObject &object)
{
    static const QStringList first{QStringLiteral("name"),    QStringLiteral("description"),
                                   QStringLiteral("content"), QStringLiteral("key"),
                                   QStringLiteral("value"),   QStringLiteral("street"),
                                   QStringLiteral("city")};
    QStringList fields;
    for (const QString &field : first)
        if (object.contains(field))
            fields.append(field);
    for (const QString &field : object.keys())
        if (!first.contains(field))
            fields.append(field);
    return fields;
}

QString firstLine(const QString &text)
{
    return shortened(text.section(QLatin1Char('\n'), 0, 0));
}

} // namespace

HistoryDescriber::HistoryDescriber(Core &core) : m_core(core)
{
}

bool HistoryDescriber::isRestore(const AuditEntry &entry)
{
    if (entry.action != AuditAction::Update)
        return false;
    const QJsonObject change = entry.changes.value(QStringLiteral("deleted_at")).toObject();
    return !change.isEmpty() && !change.value(QStringLiteral("old")).isNull() &&
           change.value(QStringLiteral("new")).isNull();
}

QString HistoryDescriber::valueText(const QString &entityType, const QString &field, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return kNone;
    if (isMoney(field))
        return formatMoney(value.toInteger());
    if (field.endsWith(QLatin1String("_at")) || field == QLatin1String("scheduled_for"))
        return formatLocal(fromStoredTime(value.toVariant()));
    if (field == QLatin1String("status"))
        return statusText(entityType, value.toString());
    if (field == QLatin1String("pricing_type") || field == QLatin1String("template_name"))
        return humanizeKey(value.toString());
    if (field.startsWith(QLatin1String("is_")))
        return attributeValueText(QJsonValue(value.toInteger() != 0));
    if (field.endsWith(QLatin1String("_minutes")))
        return QCoreApplication::translate("fb::ui::HistoryDescriber", "%n min", nullptr, value.toInt());
    if (entityType == QLatin1String("attribute") && field == QLatin1String("value") && value.isString()) {
        // Stored as JSON text ("\"dog\"", "{\"name\":\"Biscuit\"}"): read as the attribute screens show it.
        const QJsonDocument document =
            QJsonDocument::fromJson(QStringLiteral("[%1]").arg(value.toString()).toUtf8());
        if (document.isArray() && document.array().size() == 1)
            return shortened(attributeValueText(document.array().first()));
    }
    if (value.isDouble())
        return QLocale().toString(value.toInteger());
    return shortened(attributeValueText(value));
}

QString HistoryDescriber::actionText(const QString &entityType, HistoryAction action)
{
    // A line item is added to a job and removed from it; everything else is created and deleted.
    const bool lineItem = entityType == QLatin1String("line_item");
    switch (action) {
    case HistoryAction::Created:
        return lineItem ? tr("Added") : tr("Created");
    case HistoryAction::Changed:
        return tr("Changed");
    case HistoryAction::Deleted:
        return lineItem ? tr("Removed") : tr("Deleted");
    case HistoryAction::Restored:
        return tr("Restored");
    }
    return {};
}

QList<QString> HistoryDescriber::describeRow(const QString &entityType, const QJsonObject &row)
{
    // A line item reads as on an invoice: "Window cleaning, 1 × $120.00 = $120.00".
    if (entityType == QLatin1String("line_item"))
        return {tr("%1, %2 × %3 = %4")
                    .arg(shortened(row.value(QStringLiteral("description")).toString()))
                    .arg(row.value(QStringLiteral("quantity")).toInt())
                    .arg(valueText(entityType, QStringLiteral("unit_price"),
                                   row.value(QStringLiteral("unit_price"))),
                         valueText(entityType, QStringLiteral("total_price"),
                                   row.value(QStringLiteral("total_price"))))};
    QList<QString> lines;
    // A job says first when it is.
    const bool ticket = entityType == QLatin1String("ticket");
    if (ticket)
        lines.append(tr("Scheduled for %1")
                         .arg(valueText(entityType, QStringLiteral("scheduled_at"),
                                        row.value(QStringLiteral("scheduled_at")))));
    for (const QString &field : orderedFields(row)) {
        const QJsonValue value = row.value(field);
        if (isBookkeeping(field) || value.isNull() || (ticket && field == QLatin1String("scheduled_at")))
            continue;
        lines.append(QStringLiteral("%1: %2").arg(fieldLabel(field), valueText(entityType, field, value)));
    }
    return lines;
}

QList<QString> HistoryDescriber::describeChanges(const AuditEntry &entry)
{
    QList<QString> lines;
    switch (entry.action) {
    case AuditAction::Create:
        return describeRow(entry.entityType, entry.changes.value(QStringLiteral("created")).toObject());
    case AuditAction::Delete:
        return describeRow(entry.entityType, entry.changes.value(QStringLiteral("deleted")).toObject());
    case AuditAction::Update:
        for (const QString &field : orderedFields(entry.changes)) {
            // A restore says so in the action column; the time it had been deleted adds nothing.
            if (field == QLatin1String("deleted_at") || field == QLatin1String("updated_at"))
                continue;
            // Another address, another service: ids mean nothing to a person.
            if (field.endsWith(QLatin1String("_id"))) {
                lines.append(tr("%1 changed").arg(humanizeKey(field.chopped(3))));
                continue;
            }
            const QJsonObject change = entry.changes.value(field).toObject();
            lines.append(QStringLiteral("%1: %2 \u2192 %3")
                             .arg(fieldLabel(field),
                                  valueText(entry.entityType, field, change.value(QStringLiteral("old"))),
                                  valueText(entry.entityType, field, change.value(QStringLiteral("new")))));
        }
        break;
    }
    return lines;
}

void HistoryDescriber::addTrail(const QString &entityType, const QUuid &entityId,
                                const QList<AuditEntry> &newestFirst)
{
    Known known;
    for (auto it = newestFirst.crbegin(); it != newestFirst.crend(); ++it) {
        known.found = true;
        switch (it->action) {
        case AuditAction::Create:
            known.state = it->changes.value(QStringLiteral("created")).toObject();
            known.deleted = false;
            break;
        case AuditAction::Update:
            for (auto change = it->changes.begin(); change != it->changes.end(); ++change)
                known.state.insert(change.key(), change.value().toObject().value(QStringLiteral("new")));
            known.deleted = !known.state.value(QStringLiteral("deleted_at")).isNull() &&
                            !known.state.value(QStringLiteral("deleted_at")).isUndefined();
            break;
        case AuditAction::Delete:
            known.state = it->changes.value(QStringLiteral("deleted")).toObject();
            known.deleted = true;
            break;
        }
    }
    m_known.insert(entityType + QLatin1Char('/') + idText(entityId), known);
}

const HistoryDescriber::Known &HistoryDescriber::known(const QString &entityType, const QUuid &entityId)
{
    const QString key = entityType + QLatin1Char('/') + idText(entityId);
    if (!m_known.contains(key)) {
        auto trail = m_core.audit().entityHistory(entityType, entityId);
        addTrail(entityType, entityId, trail ? *trail : QList<AuditEntry>());
    }
    return *m_known.constFind(key);
}

QString HistoryDescriber::contactName(const QJsonValue &contactId)
{
    if (!contactId.isString())
        return {};
    return known(QStringLiteral("contact"), QUuid::fromString(contactId.toString()))
        .state.value(QStringLiteral("name"))
        .toString();
}

QString HistoryDescriber::subject(const QString &entityType, const QUuid &entityId)
{
    const Known &entity = known(entityType, entityId);
    if (!entity.found)
        return humanizeKey(entityType);
    const QJsonObject state = entity.state; // a copy: contactName() may grow m_known
    const auto text = [&state](const char *field) { return state.value(QLatin1String(field)).toString(); };
    // "... for Margaret Hill" where the entity belongs to a customer the trail can name.
    const auto forCustomer = [this, &state](const QString &label) {
        const QString name = contactName(state.value(QStringLiteral("contact_id")));
        return name.isEmpty() ? label : tr("%1 for %2").arg(label, name);
    };

    if (entityType == QLatin1String("contact"))
        return tr("Customer %1").arg(text("name"));
    if (entityType == QLatin1String("address"))
        return forCustomer(tr("Address %1, %2").arg(text("street"), text("city")));
    if (entityType == QLatin1String("service"))
        return tr("Service %1").arg(text("name"));
    if (entityType == QLatin1String("ticket")) {
        const QDateTime at = fromStoredTime(state.value(QStringLiteral("scheduled_at")).toVariant());
        return forCustomer(
            at.isValid() ? tr("Job on %1")
                               .arg(QLocale().toString(at.toLocalTime().date(), QStringLiteral("ddd d MMM")))
                         : tr("Job"));
    }
    if (entityType == QLatin1String("line_item"))
        return tr("Line item %1").arg(name(entityType, entityId));
    if (entityType == QLatin1String("invoice"))
        // The number the invoices list shows: the schema has none, the id's first eight hex digits stand in.
        return forCustomer(
            tr("Invoice %1").arg(QStringLiteral("INV-") + entityId.toString(QUuid::Id128).left(8).toUpper()));
    if (entityType == QLatin1String("note"))
        return forCustomer(tr("Note \u201c%1\u201d").arg(firstLine(text("content"))));
    if (entityType == QLatin1String("attribute"))
        return forCustomer(tr("Attribute %1").arg(humanizeKey(text("key"))));
    if (entityType == QLatin1String("attribute_suggestion"))
        return tr("Suggested attribute %1").arg(humanizeKey(text("key")));
    if (entityType == QLatin1String("scheduled_message")) {
        const QString what = state.value(QStringLiteral("template_name")).isString()
                                 ? humanizeKey(text("template_name"))
                                 : firstLine(text("custom_content"));
        return forCustomer(tr("Reach-out %1").arg(what));
    }
    if (entityType == QLatin1String("user"))
        return tr("Profile %1").arg(text("name"));
    return humanizeKey(entityType);
}

QString HistoryDescriber::name(const QString &entityType, const QUuid &entityId)
{
    const QJsonObject state = known(entityType, entityId).state; // a copy: known() may grow m_known
    if (entityType == QLatin1String("line_item")) {
        QString description = state.value(QStringLiteral("description")).toString();
        if (description.isEmpty() && state.value(QStringLiteral("service_id")).isString())
            description = known(QStringLiteral("service"),
                                QUuid::fromString(state.value(QStringLiteral("service_id")).toString()))
                              .state.value(QStringLiteral("name"))
                              .toString();
        return shortened(description);
    }
    return state.value(QStringLiteral("name")).toString();
}

QString HistoryDescriber::userName(const QUuid &userId)
{
    if (!m_usersRead) {
        m_usersRead = true;
        if (auto users = m_core.users.list())
            for (const User &user : *users)
                m_users.insert(user.id, user.name);
    }
    return m_users.value(userId, userId.toString(QUuid::WithoutBraces).left(8));
}

QString HistoryDescriber::authorText(const AuditEntry &entry)
{
    if (entry.origin.isEmpty())
        return {}; // written here: the technician's own
    const QString login =
        entry.authorLogin.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(entry.authorLogin);
    if (entry.byOffice)
        return tr(" by the office%1").arg(login);
    if (entry.origin != QLatin1String("server"))
        return tr(" on your other device");
    return entry.authorName.isEmpty() ? tr(" on the server%1").arg(login)
                                      : tr(" by %1%2").arg(entry.authorName, login);
}

HistoryRow HistoryDescriber::describe(const AuditEntry &entry)
{
    HistoryRow row;
    row.entry = entry;
    switch (entry.action) {
    case AuditAction::Create:
        row.action = HistoryAction::Created;
        break;
    case AuditAction::Update:
        row.action = isRestore(entry) ? HistoryAction::Restored : HistoryAction::Changed;
        break;
    case AuditAction::Delete:
        row.action = HistoryAction::Deleted;
        break;
    }
    // A job whose time alone changed was moved: "Moved by the office (office_dana)", "Scheduled: Tue 10:00 →
    // ...".
    const bool moved = entry.entityType == QLatin1String("ticket") && row.action == HistoryAction::Changed &&
                       entry.changes.size() == 1 && entry.changes.contains(QLatin1String("scheduled_at"));
    row.actionText = (moved ? tr("Moved") : actionText(entry.entityType, row.action)) + authorText(entry);
    row.who =
        entry.origin.isEmpty() || entry.authorName.isEmpty() ? userName(entry.userId) : entry.authorName;
    row.subject = subject(entry.entityType, entry.entityId);
    row.changes = describeChanges(entry);
    row.entityDeleted = known(entry.entityType, entry.entityId).deleted;
    return row;
}

} // namespace fb::ui
