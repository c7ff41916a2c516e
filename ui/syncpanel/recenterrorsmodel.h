#pragma once

#include "syncapi/synctypes.h"

#include <QAbstractTableModel>
#include <QList>

namespace fb::ui {

/// The session's recent sync and model errors, newest first: when (local time), what failed, the message.
class RecentErrorsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentErrorsModel)

public:
    enum Column
    {
        When,
        Source,
        Message,
        ColumnCount
    };

    explicit RecentErrorsModel(QObject *parent = nullptr);

    /// As sync keeps them (oldest first).
    void setErrors(const QList<RecentSyncError> &errors);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RecentSyncError> m_errors; ///< newest first
};

} // namespace fb::ui
