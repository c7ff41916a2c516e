#include "historywidget.h"

#include "common/feedback.h"
#include "common/uicontext.h"
#include "core.h"
#include "events/changefeed.h"
#include "historydescriber.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

HistoryWidget::HistoryWidget(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_model(new HistoryModel(this)), m_view(new QTableView(this)),
      m_emptyLabel(new QLabel(m_view->viewport()))
{
    setObjectName(QStringLiteral("historyWidget"));

    m_view->setObjectName(QStringLiteral("historyTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false); // Tab leaves the table, as everywhere else
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    // At 1366x768 the changes take what the other columns leave; the tooltip has every line.
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(HistoryModel::SubjectColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(HistoryModel::ChangesColumn, QHeaderView::Stretch);
    header->resizeSection(HistoryModel::SubjectColumn, 32 * kSpacing);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &HistoryWidget::currentRowChanged);

    // Over the empty table rather than instead of it: the table keeps the focus.
    m_emptyLabel->setObjectName(QStringLiteral("historyEmptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_emptyLabel->setAttribute(Qt::WA_TransparentForMouseEvents);
    auto *overlay = new QVBoxLayout(m_view->viewport());
    overlay->setContentsMargins(4 * kSpacing, 4 * kSpacing, 4 * kSpacing, 4 * kSpacing);
    overlay->addWidget(m_emptyLabel);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(kSpacing);
    layout->addWidget(m_view);
    setFocusProxy(m_view);

    // Every entity change is an audit entry: any of them may belong here. The recent activity walks the
    // technician's whole trail (its cost grows with the years), so while hidden it is read again only when
    // shown: a sync or the extraction queue writing behind a hidden page costs the GUI thread nothing.
    connect(&m_context.changes(), &ChangeFeed::changed, this, [this](const ChangeSet &changes) {
        if (changes.entities.isEmpty() && !changes.incomplete)
            return;
        if (m_mode == Mode::RecentActivity && !isVisible())
            m_stale = true;
        else
            reload();
    });
    reload();
}

void HistoryWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        reload();
}

void HistoryWidget::showEntity(const QString &entityType, const QUuid &entityId)
{
    m_mode = Mode::Entity;
    m_entityType = entityType;
    m_entityId = entityId;
    reload();
}

void HistoryWidget::showRecentActivity()
{
    m_mode = Mode::RecentActivity;
    m_entityType.clear();
    m_entityId = QUuid();
    // Read when first shown, not when made: the History page is built with the window, and naming the
    // subjects of its 200 entries reads each one's trail (cold at start, on the GUI thread).
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    reload();
}

std::optional<HistoryRow> HistoryWidget::currentRow() const
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    return m_model->rows().at(current.row());
}

void HistoryWidget::reload()
{
    m_stale = false;
    const std::optional<HistoryRow> selected = currentRow();
    Core &core = m_context.core();
    HistoryDescriber describer(core);
    Result<QList<AuditEntry>> entries = QList<AuditEntry>();
    switch (m_mode) {
    case Mode::Nothing:
        break;
    case Mode::Entity:
        entries = core.audit().entityHistory(m_entityType, m_entityId);
        if (entries)
            describer.addTrail(m_entityType, m_entityId, *entries);
        break;
    case Mode::RecentActivity:
        // Only the technician's own entries: the audit trail is not scoped for reads, this query is. The
        // extraction queue's bookkeeping (a request sent, its lease, its retries) is the app's, not a change
        // the technician made: the notes themselves show as the note.
        entries = core.audit().userActivity(m_context.userId(), kRecentLimit,
                                            {QStringLiteral("extraction_request")});
        break;
    }
    QList<HistoryRow> rows;
    if (entries) {
        rows.reserve(entries->size());
        for (const AuditEntry &entry : *entries)
            rows.append(describer.describe(entry));
    }
    m_model->setRows(std::move(rows));

    if (!entries)
        m_emptyLabel->setText(tr("Could not read the history: %1").arg(entries.error().toString()));
    else if (m_model->rowCount() > 0)
        m_emptyLabel->clear();
    else if (m_mode == Mode::RecentActivity)
        m_emptyLabel->setText(tr("Nothing yet: what you create, change or delete shows here."));
    else if (m_mode == Mode::Entity)
        m_emptyLabel->setText(tr("No history for this yet."));
    else
        m_emptyLabel->clear();

    if (selected) {
        const QList<HistoryRow> &current = m_model->rows();
        for (int row = 0; row < current.size(); ++row) {
            if (current.at(row).entry.id == selected->entry.id) {
                m_view->setCurrentIndex(m_model->index(row, HistoryModel::WhenColumn));
                break;
            }
        }
    }
    Q_EMIT currentRowChanged();
}

} // namespace fb::ui
