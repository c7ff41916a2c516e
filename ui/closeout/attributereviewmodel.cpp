#include "attributereviewmodel.h"

#include "common/humanize.h"
#include "models/validation.h"
#include "services/attributeservice.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QJsonDocument>
#include <QRegularExpression>

namespace fb::ui {

namespace {

QString decisionKey(AttributeReviewModel::Decision decision)
{
    switch (decision) {
    case AttributeReviewModel::Decision::Accept:
        return QStringLiteral("accept");
    case AttributeReviewModel::Decision::Edit:
        return QStringLiteral("edit");
    case AttributeReviewModel::Decision::Reject:
        return QStringLiteral("reject");
    }
    return QStringLiteral("accept");
}

AttributeReviewModel::Decision decisionFromKey(const QString &key)
{
    if (key == QStringLiteral("edit"))
        return AttributeReviewModel::Decision::Edit;
    if (key == QStringLiteral("reject"))
        return AttributeReviewModel::Decision::Reject;
    return AttributeReviewModel::Decision::Accept;
}

/// The value a row shows in the New column.
QString newText(const AttributeReviewModel::Row &row)
{
    if (row.manual || row.decision == AttributeReviewModel::Decision::Edit)
        return row.editedText;
    return editableValueText(row.proposed);
}

} // namespace

QColor reviewErrorColor()
{
    // applyTheme() marks the dark scheme on the application (common/theme.cpp).
    const bool dark =
        QCoreApplication::instance() && QCoreApplication::instance()->property("fieldbookDark").toBool();
    return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28);
}

QString editableValueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == double(qint64(number)))
            return QString::number(qint64(number));
        return QString::number(number, 'g', 15);
    }
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QJsonValue attributeValueFromText(const QString &text, const QJsonValue &like)
{
    const QString trimmed = text.trimmed();
    const auto asBool = [&]() -> std::optional<bool> {
        const QString lower = trimmed.toLower();
        if (lower == QStringLiteral("true") || lower == QStringLiteral("yes"))
            return true;
        if (lower == QStringLiteral("false") || lower == QStringLiteral("no"))
            return false;
        return std::nullopt;
    };
    const auto asNumber = [&]() -> std::optional<double> {
        // Plain numbers only: "0042" or "1e3" stay text (a gate code, a flat number), so what is saved reads
        // back as typed.
        static const QRegularExpression plain(QStringLiteral("^-?(0|[1-9][0-9]{0,14})(\\.[0-9]+)?$"));
        if (!plain.match(trimmed).hasMatch())
            return std::nullopt;
        bool ok = false;
        const double number = trimmed.toDouble(&ok);
        return ok ? std::optional<double>(number) : std::nullopt;
    };
    const auto asObject = [&]() -> std::optional<QJsonObject> {
        if (!trimmed.startsWith(QLatin1Char('{')))
            return std::nullopt;
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(trimmed.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return std::nullopt;
        return document.object();
    };

    switch (like.type()) {
    case QJsonValue::String:
        return trimmed;
    case QJsonValue::Bool:
        if (auto value = asBool())
            return *value;
        return trimmed;
    case QJsonValue::Double:
        if (auto value = asNumber())
            return *value;
        return trimmed;
    case QJsonValue::Object:
        if (auto value = asObject())
            return *value;
        return trimmed;
    default:
        break;
    }
    if (auto value = asBool();
        value && trimmed.toLower() != QStringLiteral("yes") && trimmed.toLower() != QStringLiteral("no"))
        return *value;
    // Digits typed by hand stay text: what a technician types as digits is usually a code ("4821", a gate or
    // alarm code) or a phone number, and a number would lose leading zeros and read back grouped ("4,821").
    if (auto value = asObject())
        return *value;
    return trimmed;
}

AttributeReviewModel::AttributeReviewModel(QObject *parent) : QAbstractTableModel(parent)
{
}

int AttributeReviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AttributeReviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AttributeReviewModel::decisionLabel(Decision decision)
{
    switch (decision) {
    case Decision::Accept:
        return tr("Accept");
    case Decision::Edit:
        return tr("Edit");
    case Decision::Reject:
        return tr("Reject");
    }
    return {};
}

QVariant AttributeReviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const Status status = check(row);
    const bool rejected = row.decision == Decision::Reject;

    if (role == DecisionRole)
        return int(row.decision);
    if (role == KeyRole)
        return row.key;
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (Column(index.column())) {
        case KeyColumn:
            // In words, as the technician wrote it ("Gate code"); KeyRole has the stored key.
            return humanizeKey(row.key);
        case CurrentColumn:
            if (role == Qt::DisplayRole && row.current.isUndefined())
                return tr("(not set)");
            return editableValueText(row.current);
        case NewColumn:
            return newText(row);
        case DecisionColumn:
            if (role == Qt::EditRole)
                return int(row.decision);
            if (row.manual && row.decision != Decision::Reject)
                return tr("Add");
            return decisionLabel(row.decision);
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (!rejected && !status.ok())
            return status.error().toString();
        if (index.column() == KeyColumn && row.manual)
            return tr("Added by hand");
        if (index.column() == NewColumn || index.column() == CurrentColumn) {
            if (row.current.isUndefined())
                return tr("New: %1").arg(newText(row));
            if (effectiveValue(row) == row.current)
                return tr("Unchanged: %1").arg(editableValueText(row.current));
            return tr("%1 \u2192 %2").arg(editableValueText(row.current), newText(row));
        }
        return {};
    }
    if (role == Qt::ForegroundRole) {
        if (!rejected && !status.ok())
            return QBrush(reviewErrorColor());
        if (rejected || (index.column() == CurrentColumn && row.current.isUndefined()))
            return QBrush(QColor(0x8a, 0x93, 0x9f));
        return {};
    }
    if (role == Qt::FontRole) {
        QFont font;
        if (rejected && index.column() == NewColumn) {
            font.setStrikeOut(true);
            return font;
        }
        // The value that changes stands out next to the one it replaces.
        if (!rejected && index.column() == NewColumn && !row.current.isUndefined() &&
            effectiveValue(row) != row.current) {
            font.setBold(true);
            return font;
        }
        return {};
    }
    return {};
}

QVariant AttributeReviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case KeyColumn:
        return tr("Detail");
    case CurrentColumn:
        return tr("On file now");
    case NewColumn:
        return tr("New value");
    case DecisionColumn:
        return tr("Decision");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags AttributeReviewModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == NewColumn || index.column() == DecisionColumn))
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool AttributeReviewModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= m_rows.size() || role != Qt::EditRole)
        return false;
    Row &row = m_rows[index.row()];
    if (index.column() == NewColumn) {
        const QString text = value.toString();
        if (text == newText(row))
            return false;
        row.editedText = text;
        // Typing a value is the edit decision; a hand-added row keeps its own (add or reject).
        if (!row.manual)
            row.decision = Decision::Edit;
    } else if (index.column() == DecisionColumn) {
        const int decision = value.toInt();
        if (decision < int(Decision::Accept) || decision > int(Decision::Reject))
            return false;
        setDecision(index.row(), Decision(decision));
        return true;
    } else {
        return false;
    }
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    return true;
}

void AttributeReviewModel::setDecision(int rowIndex, Decision decision)
{
    if (rowIndex < 0 || rowIndex >= m_rows.size())
        return;
    Row &row = m_rows[rowIndex];
    // A hand-added row has no proposal to accept: its decisions are add (its typed value) or reject.
    if (row.manual && decision == Decision::Edit)
        decision = Decision::Accept;
    if (decision == Decision::Edit && row.editedText.isEmpty())
        row.editedText = editableValueText(row.proposed);
    row.decision = decision;
    Q_EMIT dataChanged(index(rowIndex, 0), index(rowIndex, ColumnCount - 1));
}

QJsonValue AttributeReviewModel::currentValue(const QString &key) const
{
    return m_current.value(key, QJsonValue(QJsonValue::Undefined));
}

void AttributeReviewModel::setCurrentValues(const QHash<QString, QJsonValue> &current)
{
    m_current = current;
    for (Row &row : m_rows)
        row.current = currentValue(row.key);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void AttributeReviewModel::setProposals(const QJsonObject &proposed)
{
    beginResetModel();
    QHash<QString, Row> previous;
    QList<Row> manual;
    for (const Row &row : std::as_const(m_rows)) {
        if (row.manual)
            manual.append(row);
        else
            previous.insert(row.key, row);
    }
    m_rows.clear();
    for (auto it = proposed.begin(); it != proposed.end(); ++it) {
        Row row;
        row.key = it.key();
        row.proposed = it.value();
        row.current = currentValue(row.key);
        // Notes re-read after going back: a decision on the same key and value still stands.
        if (auto kept = previous.constFind(row.key);
            kept != previous.cend() && kept->proposed == row.proposed) {
            row.decision = kept->decision;
            row.editedText = kept->editedText;
        }
        m_rows.append(row);
    }
    for (const Row &row : std::as_const(manual)) {
        // A suggestion for a key typed by hand: the hand-typed value wins, listed once.
        m_rows.erase(std::remove_if(m_rows.begin(), m_rows.end(),
                                    [&](const Row &other) { return !other.manual && other.key == row.key; }),
                     m_rows.end());
        m_rows.append(row);
    }
    endResetModel();
}

Status AttributeReviewModel::addManual(const QString &key, const QString &valueText)
{
    const QString trimmedKey = key.trimmed();
    FB_TRY(validate::attributeKey(trimmedKey));
    if (valueText.trimmed().isEmpty())
        return Error::validation(QStringLiteral("value"),
                                 tr("is empty: type the value of %1").arg(humanizeKey(trimmedKey)));
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        if (row.key != trimmedKey)
            continue;
        Row candidate = row;
        candidate.editedText = valueText.trimmed();
        candidate.decision = row.manual ? Decision::Accept : Decision::Edit;
        FB_TRY(check(candidate));
        row = candidate;
        Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
        return {};
    }
    Row row;
    row.key = trimmedKey;
    row.current = currentValue(trimmedKey);
    row.editedText = valueText.trimmed();
    row.manual = true;
    FB_TRY(check(row));
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append(row);
    endInsertRows();
    return {};
}

QJsonValue AttributeReviewModel::effectiveValue(const Row &row)
{
    if (row.manual || row.decision == Decision::Edit)
        return attributeValueFromText(row.editedText, row.manual ? row.current : row.proposed);
    return row.proposed;
}

Status AttributeReviewModel::check(const Row &row)
{
    FB_TRY(validate::attributeKey(row.key));
    return validateAttributeValue(row.key, effectiveValue(row));
}

Result<QJsonObject> AttributeReviewModel::confirmedAttributes() const
{
    QJsonObject confirmed;
    for (const Row &row : m_rows) {
        if (row.decision == Decision::Reject)
            continue;
        FB_TRY(check(row));
        confirmed.insert(row.key, effectiveValue(row));
    }
    return confirmed;
}

QJsonArray AttributeReviewModel::toJson() const
{
    QJsonArray rows;
    for (const Row &row : m_rows) {
        QJsonObject object{{QStringLiteral("key"), row.key},
                           {QStringLiteral("decision"), decisionKey(row.decision)},
                           {QStringLiteral("manual"), row.manual}};
        if (!row.proposed.isUndefined())
            object.insert(QStringLiteral("proposed"), row.proposed);
        if (!row.editedText.isEmpty())
            object.insert(QStringLiteral("value"), row.editedText);
        rows.append(object);
    }
    return rows;
}

void AttributeReviewModel::fromJson(const QJsonArray &rows)
{
    beginResetModel();
    m_rows.clear();
    for (const QJsonValue &value : rows) {
        const QJsonObject object = value.toObject();
        Row row;
        row.key = object.value(QStringLiteral("key")).toString();
        if (row.key.isEmpty())
            continue;
        row.proposed = object.value(QStringLiteral("proposed"));
        row.editedText = object.value(QStringLiteral("value")).toString();
        row.decision = decisionFromKey(object.value(QStringLiteral("decision")).toString());
        row.manual = object.value(QStringLiteral("manual")).toBool();
        row.current = currentValue(row.key);
        m_rows.append(row);
    }
    endResetModel();
}

} // namespace fb::ui
