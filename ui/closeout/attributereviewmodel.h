#pragma once

#include "util/result.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

namespace fb::ui {

/// The attributes a close-out proposes for the customer, each with the technician's decision: the review
/// step of the close-out wizard.
///
/// A row is either a suggestion from the notes (the model's value, which the technician accepts, edits or
/// rejects) or an attribute the technician added by hand. The contact's current value sits next to the
/// proposed one, so a change reads as old -> new.
class AttributeReviewModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttributeReviewModel)

public:
    enum Column
    {
        KeyColumn,
        CurrentColumn,
        NewColumn,
        DecisionColumn,
        ColumnCount
    };
    enum class Decision
    {
        Accept,
        Edit,
        Reject
    };
    /// EditRole of DecisionColumn holds the Decision as an int; this role gives it for any column.
    static constexpr int DecisionRole = Qt::UserRole + 1;
    /// The stored key of a row ("gate_code"), for any column; the Detail column shows it in words.
    static constexpr int KeyRole = Qt::UserRole + 2;

    struct Row
    {
        QString key;
        QJsonValue current = QJsonValue::Undefined;  ///< the contact's value now; undefined when it has none
        QJsonValue proposed = QJsonValue::Undefined; ///< the model's value; undefined for a hand-added row
        QString editedText;                          ///< the technician's value (Edit, or a hand-added row)
        Decision decision = Decision::Accept;
        bool manual = false;
    };

    explicit AttributeReviewModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    const QList<Row> &rows() const { return m_rows; }
    /// The contact's confirmed attributes, by key (for the current-value column).
    void setCurrentValues(const QHash<QString, QJsonValue> &current);
    const QHash<QString, QJsonValue> &currentValues() const { return m_current; }
    /// Replaces the suggestions with `proposed`, keeping the decisions already taken on the same keys and
    /// every hand-added row.
    void setProposals(const QJsonObject &proposed);
    /// Adds (or, for a key already listed, replaces the value of) an attribute typed by hand. Checks the key
    /// and the value as the core does.
    Status addManual(const QString &key, const QString &valueText);
    void setDecision(int row, Decision decision);

    /// The value a row would save: the edited or typed text read as JSON of the proposal's type, else the
    /// proposal.
    static QJsonValue effectiveValue(const Row &row);
    /// Why a row cannot be saved (key or value), or ok.
    static Status check(const Row &row);
    /// Every row not rejected, key -> value; the first row that cannot be saved is an error naming it.
    Result<QJsonObject> confirmedAttributes() const;

    /// The rows as draft JSON, and back (current values come from setCurrentValues, not the draft).
    QJsonArray toJson() const;
    void fromJson(const QJsonArray &rows);

    static QString decisionLabel(Decision decision);

private:
    QJsonValue currentValue(const QString &key) const;

    QList<Row> m_rows;
    QHash<QString, QJsonValue> m_current;
};

/// Red for a value or key that cannot be saved, readable in the light and the dark scheme.
QColor reviewErrorColor();

/// How an attribute value reads in the table: text as is, numbers plainly, true/false, objects as JSON.
QString editableValueText(const QJsonValue &value);
/// Typed text as a value of the same type as `like` when it fits (a gate code stays text even when it is
/// digits); with no `like`, true/false become booleans, {...} an object, the rest (digits included) text.
QJsonValue attributeValueFromText(const QString &text, const QJsonValue &like = QJsonValue::Undefined);

} // namespace fb::ui
