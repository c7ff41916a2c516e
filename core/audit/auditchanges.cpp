#include "audit/auditchanges.h"

#include <sqlite3.h>

#include <QByteArray>
#include <QJsonDocument>

namespace fb::audit {

namespace {

const QString kCreated = QStringLiteral("created");
const QString kSame = QStringLiteral("same");
const QString kId = QStringLiteral("id");
const QString kUserId = QStringLiteral("user_id");
const QString kCreatedAt = QStringLiteral("created_at");
const QString kUpdatedAt = QStringLiteral("updated_at");

/// The marker's key as it appears in stored JSON text: a JSON string's quotes are escaped, so this text is
/// found only where an object has the key (a quick test before parsing).
constexpr char kSameKeyText[] = "\"same\":";

bool isLean(const QJsonObject &stored)
{
    return stored.size() == 2 && stored.value(kSame).isString() && stored.value(kCreated).isObject();
}

} // namespace

QJsonObject storedChanges(const QJsonObject &changes, const QString &entityId, const QString &userId,
                          const QString &createdAt)
{
    if (changes.size() != 1 || !changes.value(kCreated).isObject())
        return changes;
    QJsonObject row = changes.value(kCreated).toObject();
    const auto equals = [&row](const QString &column, const QString &text) {
        const QJsonValue value = row.value(column);
        return value.isString() && value.toString() == text;
    };
    QString same;
    // updated_at first: it is compared with the row's own created_at, before that may be left out.
    if (const QJsonValue created = row.value(kCreatedAt);
        created.isString() && equals(kUpdatedAt, created.toString())) {
        row.remove(kUpdatedAt);
        same += QLatin1Char('a');
    }
    if (equals(kId, entityId)) {
        row.remove(kId);
        same += QLatin1Char('i');
    }
    if (equals(kUserId, userId)) {
        row.remove(kUserId);
        same += QLatin1Char('u');
    }
    if (equals(kCreatedAt, createdAt)) {
        row.remove(kCreatedAt);
        same += QLatin1Char('c');
    }
    if (same.isEmpty())
        return changes;
    return QJsonObject{{kCreated, row}, {kSame, same}};
}

QJsonObject fullChanges(const QJsonObject &stored, const QString &entityId, const QString &userId,
                        const QString &createdAt)
{
    if (!isLean(stored))
        return stored;
    const QString same = stored.value(kSame).toString();
    QJsonObject row = stored.value(kCreated).toObject();
    if (same.contains(QLatin1Char('i')))
        row.insert(kId, entityId);
    if (same.contains(QLatin1Char('u')))
        row.insert(kUserId, userId);
    if (same.contains(QLatin1Char('c')))
        row.insert(kCreatedAt, createdAt);
    // After created_at is back: updated_at is the row's own created_at.
    if (same.contains(QLatin1Char('a')))
        row.insert(kUpdatedAt, row.value(kCreatedAt));
    return QJsonObject{{kCreated, row}};
}

QJsonObject fullChanges(const QString &storedText, const QString &entityId, const QString &userId,
                        const QString &createdAt)
{
    const QJsonObject stored = QJsonDocument::fromJson(storedText.toUtf8()).object();
    if (!storedText.contains(QLatin1String(kSameKeyText)))
        return stored;
    return fullChanges(stored, entityId, userId, createdAt);
}

namespace {

QString textArgument(sqlite3_value *value)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(value));
    return text ? QString::fromUtf8(text, sqlite3_value_bytes(value)) : QString();
}

void auditChangesFunction(sqlite3_context *context, int, sqlite3_value **argv)
{
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
        sqlite3_result_value(context, argv[0]);
        return;
    }
    const QByteArray text = QByteArray::fromRawData(
        reinterpret_cast<const char *>(sqlite3_value_text(argv[0])), sqlite3_value_bytes(argv[0]));
    if (!text.contains(kSameKeyText)) {
        sqlite3_result_value(context, argv[0]); // the full form already: as stored
        return;
    }
    const QJsonObject stored = QJsonDocument::fromJson(text).object();
    if (!isLean(stored)) {
        sqlite3_result_value(context, argv[0]);
        return;
    }
    const QByteArray full = QJsonDocument(fullChanges(stored, textArgument(argv[1]), textArgument(argv[2]),
                                                      textArgument(argv[3])))
                                .toJson(QJsonDocument::Compact);
    sqlite3_result_text(context, full.constData(), int(full.size()), SQLITE_TRANSIENT);
}

} // namespace

Status registerSqlFunctions(void *sqliteHandle)
{
    const int rc = sqlite3_create_function_v2(static_cast<sqlite3 *>(sqliteHandle), "audit_changes", 4,
                                              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                              auditChangesFunction, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return Error::database(
            QStringLiteral("cannot register audit_changes(): %1").arg(QString::fromUtf8(sqlite3_errstr(rc))));
    return {};
}

} // namespace fb::audit
