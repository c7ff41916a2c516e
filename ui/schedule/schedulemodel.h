#pragma once

#include "common/rowdiffmodel.h"
#include "models/enums.h"
#include "util/result.h"

#include <QAbstractTableModel>
#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QUuid>

#include <optional>

namespace fb {
class Core;
struct OfficeChange;
struct Ticket;
} // namespace fb

namespace fb::ui {

/// The technician's tickets over a run of local days, one row per ticket. Over more than one day (the week
/// view) each day starts with a heading row (spanning every column, neither enabled nor selectable, so the
/// arrow keys pass over it), including days without tickets, so the week reads as a calendar.
class ScheduleModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScheduleModel)

public:
    enum Column
    {
        TimeColumn,
        CustomerColumn,
        AddressColumn,
        ServicesColumn,
        DurationColumn,
        StatusColumn,
        /// What others (the office, the technician's other device) changed since the job was last opened.
        ChangesColumn,
        ColumnCount
    };
    /// The status badge's colour (StatusColumn) is kBadgeColorRole (common/badgedelegate.h).
    enum Role
    {
        TicketIdRole = Qt::UserRole + 1,
        StatusRole,       ///< the TicketStatus, as an int
        IsDayRole,        ///< true on a day heading row
        DayRole,          ///< the local day of the row
        IsCurrentDayRole, ///< on the heading of the day the page is on (setCurrentDay)
        OfficeMarkRole,   ///< the mark's text ("moved by the office: ..."), empty when there is none
    };

    explicit ScheduleModel(Core &core, QObject *parent = nullptr);

    /// Reads the tickets of `dayCount` local days from `first`. On an error the model is left empty.
    Status load(const QDate &first, int dayCount);
    /// The day the page is on: its heading is marked in the week view.
    void setCurrentDay(const QDate &day);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    bool isDayRow(int row) const;
    /// The ticket of a row, null for a heading.
    QUuid ticketId(int row) const;
    std::optional<TicketStatus> status(int row) const;
    /// The row showing `ticketId`, or -1.
    int rowOf(const QUuid &ticketId) const;
    /// The job to do next on local `day` at `nowUtc`: the first open one (scheduled or in progress, not
    /// deleted) that has not ended yet (its start plus its planned duration, or its start when it has none,
    /// is after now; one in progress always counts), else the last open one of the day; -1 when the day has
    /// none.
    int nextJobRow(const QDate &day, const QDateTime &nowUtc) const;
    int ticketCount() const;
    /// Whether any shown job has a mark (the page shows the column only then).
    bool hasOfficeMarks() const;

    /// "45 min", "1 h 30 min", "—" when unknown: shared with the dialogs.
    static QString formatDuration(std::optional<int> minutes);
    /// The schedule's mark for others' changes to a job, in words: "moved by the office: Tue 10:00 → Wed
    /// 14:00", "booked by the office", "cancelled by the office" (times local).
    static QString officeMarkText(const OfficeChange &change);
    /// Who made it and when: "Dana Smith at the office, Sat 1 Mar, 09:05".
    static QString officeMarkToolTip(const OfficeChange &change);

private:
    struct Entry
    {
        QDate day;
        bool isDay = false;
        int dayTicketCount = 0; ///< heading rows only
        QUuid ticketId;
        TicketStatus status = TicketStatus::Scheduled;
        QDateTime startLocal;
        std::optional<int> durationMinutes;
        QString customer;
        QString address;
        QString services;
        QString officeMark;
        QString officeMarkToolTip;
        bool deleted = false; ///< deleted by the office: shown until opened, then gone
    };

    /// The row of one ticket; customers and addresses read once per load.
    Result<Entry> ticketEntry(const Ticket &ticket);
    /// Marks the entries others changed, and adds the jobs others deleted, in time order.
    Status addOfficeChanges(const QDateTime &from, const QDateTime &to, QList<Entry> &entries);
    /// Day headings before each day's tickets (the week view).
    static QList<Entry> groupByDay(const QDate &first, int dayCount, const QList<Entry> &ticketEntries);

    QString timeText(const Entry &entry) const;
    QString dayHeading(const Entry &entry) const;

    Core &m_core;
    QList<Entry> m_entries;
    QDate m_currentDay;
    QHash<QUuid, QString> m_customers; ///< during a load
    QHash<QUuid, QString> m_addresses; ///< during a load
};

} // namespace fb::ui
