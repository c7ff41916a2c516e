#include "contactnotesmodel.h"

#include "common/feedback.h"

namespace fb::ui {

ContactNotesModel::ContactNotesModel(QObject *parent) : RowDiffModel(parent)
{
}

void ContactNotesModel::setNotes(const QList<Note> &notes)
{
    replaceRows(m_notes, notes, [](const Note &row) { return row.id; });
}

int ContactNotesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_notes.size());
}

QVariant ContactNotesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Note &note = m_notes.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        const QString heading = note.ticketId.isNull() ? formatLocal(note.createdAt)
                                                       : tr("%1, at a job").arg(formatLocal(note.createdAt));
        return QStringLiteral("%1\n%2").arg(heading, note.content);
    }
    case Qt::ToolTipRole:
        return note.content;
    default:
        return {};
    }
}

} // namespace fb::ui
