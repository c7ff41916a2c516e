#pragma once

#include "common/rowdiffmodel.h"
#include "models/note.h"

#include <QAbstractListModel>
#include <QList>

namespace fb::ui {

/// One customer's notes, newest first: when (local time) on the first line, the text below it. Notes written
/// at a close-out are the customer's too; they say so.
class ContactNotesModel final : public RowDiffModel<QAbstractListModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactNotesModel)

public:
    explicit ContactNotesModel(QObject *parent = nullptr);

    void setNotes(const QList<Note> &notes);
    const QList<Note> &notes() const { return m_notes; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<Note> m_notes;
};

} // namespace fb::ui
