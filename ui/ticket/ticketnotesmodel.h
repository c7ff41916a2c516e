#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>

namespace fb::ui {

/// The notes of one ticket, newest first: the ticket's own notes text and its notes from NoteService.
class TicketNotesModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TicketNotesModel)

public:
    struct Entry
    {
        QDateTime at; ///< UTC; invalid for the ticket's own notes text
        QString heading;
        QString text;
    };

    explicit TicketNotesModel(QObject *parent = nullptr);

    void setEntries(const QList<Entry> &entries);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<Entry> m_entries;
};

} // namespace fb::ui
