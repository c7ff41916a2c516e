#include "servervalues.h"

#include "util/timeutil.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

#include <optional>

namespace fb::sync::servervalues {

QVariant centsFromServer(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double dollars = value.toDouble();
        const double cents = dollars * 100.0;
        const qint64 rounded = qRound64(cents);
        if (qAbs(cents - double(rounded)) > 1e-6)
            return {};
        return rounded;
    }
    static const QRegularExpression money(QStringLiteral("^(-?)(\\d+)(?:\\.(\\d{1,2}))?$"));
    const QRegularExpressionMatch match = money.match(value.toString().trimmed());
    if (!match.hasMatch())
        return {};
    bool ok = false;
    const qint64 whole = match.captured(2).toLongLong(&ok);
    if (!ok || whole > 99999999999LL)
        return {};
    QString fraction = match.captured(3);
    while (fraction.size() < 2)
        fraction += QLatin1Char('0');
    const qint64 cents = whole * 100 + fraction.toLongLong();
    return match.captured(1).isEmpty() ? cents : -cents;
}

namespace {

bool digits(const QString &text, qsizetype from, qsizetype count)
{
    for (qsizetype i = from; i < from + count; ++i)
        if (!text.at(i).isDigit())
            return false;
    return true;
}

/// The common case without a regular expression or QDateTime (a pull reads several times a row): a UTC time
/// as PostgreSQL writes it ("2026-12-05T14:05:58.123456+00:00") or as the laptop does ("...58.123Z").
std::optional<QString> utcTime(const QString &text)
{
    if (text.size() < 20 || !digits(text, 0, 4) || text.at(4) != QLatin1Char('-') || !digits(text, 5, 2) ||
        text.at(7) != QLatin1Char('-') || !digits(text, 8, 2) ||
        (text.at(10) != QLatin1Char('T') && text.at(10) != QLatin1Char(' ')) || !digits(text, 11, 2) ||
        text.at(13) != QLatin1Char(':') || !digits(text, 14, 2) || text.at(16) != QLatin1Char(':') ||
        !digits(text, 17, 2))
        return std::nullopt;
    qsizetype at = 19;
    QString fraction;
    if (text.at(at) == QLatin1Char('.')) {
        const qsizetype start = ++at;
        while (at < text.size() && text.at(at).isDigit())
            ++at;
        if (at == start)
            return std::nullopt;
        fraction = text.mid(start, qMin<qsizetype>(3, at - start)); // cut, never rounded
    }
    const QStringView zone = QStringView(text).mid(at);
    if (zone != u"Z" && zone != u"+00:00" && zone != u"+00" && zone != u"+0000")
        return std::nullopt;
    const int hours = QStringView(text).mid(11, 2).toInt();
    const int minutes = QStringView(text).mid(14, 2).toInt();
    const int seconds = QStringView(text).mid(17, 2).toInt();
    if (!QDate::isValid(QStringView(text).mid(0, 4).toInt(), QStringView(text).mid(5, 2).toInt(),
                        QStringView(text).mid(8, 2).toInt()) ||
        hours > 23 || minutes > 59 || seconds > 59)
        return std::nullopt;
    while (fraction.size() < 3)
        fraction += QLatin1Char('0');
    return text.left(10) + QLatin1Char('T') + text.mid(11, 8) + QLatin1Char('.') + fraction +
           QLatin1Char('Z');
}

} // namespace

QString timeFromServer(const QString &text)
{
    if (const std::optional<QString> utc = utcTime(text))
        return *utc;
    // The fraction is cut to three digits before Qt reads it: Qt's ISO reader rounds longer fractions, and a
    // time written on the server with microseconds must map to the same millisecond on every device.
    static const QRegularExpression iso(QStringLiteral(
        "^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d+))?(Z|[+-]\\d{2}(?::?\\d{2})?)$"));
    const QRegularExpressionMatch match = iso.match(text.trimmed());
    if (!match.hasMatch())
        return {};
    QString fraction = match.captured(3).left(3);
    while (fraction.size() < 3)
        fraction += QLatin1Char('0');
    QString zone = match.captured(4);
    if (zone.size() == 3) // "+00"
        zone += QStringLiteral(":00");
    const QDateTime parsed = QDateTime::fromString(
        QStringLiteral("%1T%2.%3%4").arg(match.captured(1), match.captured(2), fraction, zone),
        Qt::ISODateWithMs);
    return parsed.isValid() ? toStoredTime(parsed.toUTC()) : QString();
}

QVariant toLocal(catalog::ColumnKind kind, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return QVariant(QMetaType(QMetaType::QString)); // SQL NULL
    switch (kind) {
    case catalog::ColumnKind::Uuid: {
        const QUuid id(value.toString());
        return id.isNull() ? QVariant() : QVariant(idText(id));
    }
    case catalog::ColumnKind::Text:
        return value.isString() ? QVariant(value.toString()) : QVariant();
    case catalog::ColumnKind::Integer:
        return value.isDouble() ? QVariant(qint64(value.toDouble())) : QVariant();
    case catalog::ColumnKind::Cents:
        return centsFromServer(value);
    case catalog::ColumnKind::Timestamp: {
        const QString time = timeFromServer(value.toString());
        return time.isEmpty() ? QVariant() : QVariant(time);
    }
    case catalog::ColumnKind::Boolean:
        return value.isBool() ? QVariant(qint64(value.toBool() ? 1 : 0)) : QVariant();
    case catalog::ColumnKind::Json:
        if (value.isObject())
            return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        if (value.isArray())
            return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        // A scalar JSON value: its JSON text ("\"Rex\"", "3", "true").
        return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
            .mid(1)
            .chopped(1);
    }
    return {};
}

QJsonValue localJson(catalog::ColumnKind kind, const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return QJsonValue::Null;
    switch (kind) {
    case catalog::ColumnKind::Integer:
    case catalog::ColumnKind::Cents:
    case catalog::ColumnKind::Boolean:
        return QJsonValue(value.toLongLong());
    case catalog::ColumnKind::Json:
        return QJsonValue(value.toString()); // the JSON text, as the local trail holds a JSON column
    default:
        return QJsonValue(value.toString());
    }
}

namespace {

QJsonValue convertValue(const catalog::Table *table, const QString &column, const QJsonValue &value)
{
    const catalog::Column *described = table ? table->column(column) : nullptr;
    if (!described)
        return value;
    const QVariant local = toLocal(described->kind, value);
    if (!local.isValid())
        return value; // unreadable: kept as the server wrote it, the trail loses nothing
    return localJson(described->kind, local);
}

QJsonObject rowToLocal(const catalog::Table *table, const QJsonObject &row)
{
    QJsonObject converted;
    for (auto it = row.begin(); it != row.end(); ++it)
        converted.insert(it.key(), convertValue(table, it.key(), it.value()));
    return converted;
}

} // namespace

QJsonObject changesToLocal(const catalog::Table *table, const QJsonObject &changes)
{
    QJsonObject converted;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const QString &key = it.key();
        if ((key == QLatin1String("created") || key == QLatin1String("deleted")) && it->isObject()) {
            converted.insert(key, rowToLocal(table, it->toObject()));
        } else if (it->isObject() && it->toObject().contains(QLatin1String("new"))) {
            const QJsonObject change = it->toObject();
            converted.insert(
                key,
                QJsonObject{
                    {QStringLiteral("old"), convertValue(table, key, change.value(QLatin1String("old")))},
                    {QStringLiteral("new"), convertValue(table, key, change.value(QLatin1String("new")))}});
        } else {
            converted.insert(key, it.value());
        }
    }
    return converted;
}

} // namespace fb::sync::servervalues
