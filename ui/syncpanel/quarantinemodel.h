#pragma once

#include "syncapi/synctypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace fb::ui {

/// The changes the server refused for good and that wait, set aside, for a person: which record, what the
/// change did, the server's reason, and since when.
class QuarantineModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuarantineModel)

public:
    enum Column
    {
        Entity,
        Change,
        Reason,
        Since,
        ColumnCount
    };

    explicit QuarantineModel(QObject *parent = nullptr);

    /// `labels`: a readable name per entity id ("Contact Rosa Diaz"); an entity without one shows its type
    /// and the start of its id.
    void setChanges(QList<QuarantinedChange> changes, const QHash<QUuid, QString> &labels);
    const QList<QuarantinedChange> &changes() const { return m_changes; }

    /// "Created", "Changed name, phone", "Deleted".
    static QString changeText(const QuarantinedChange &change);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<QuarantinedChange> m_changes;
    QHash<QUuid, QString> m_labels;
};

} // namespace fb::ui
