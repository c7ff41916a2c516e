#include "syncpanel.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "conflictsmodel.h"
#include "core.h"
#include "quarantinemodel.h"
#include "recenterrorsmodel.h"
#include "syncapi/synccontrol.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

QTableView *tableView(const char *name, QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(QLatin1String(name));
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(false);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    return label;
}

/// A readable name for a record of the local database, or empty (the model falls back to its type). Local
/// reads of one row each: a handful of set-aside changes at most.
QString recordLabel(Core &core, const QuarantinedChange &change)
{
    const QString &type = change.entityType;
    if (type == QLatin1String("contact")) {
        if (auto contact = core.contacts.getById(change.entityId))
            return QObject::tr("Customer %1").arg(contact->name);
    } else if (type == QLatin1String("service")) {
        if (auto service = core.catalog.getById(change.entityId))
            return QObject::tr("Service %1").arg(service->name);
    } else if (type == QLatin1String("address")) {
        if (auto address = core.addresses.getById(change.entityId))
            return QObject::tr("Address %1, %2").arg(address->street, address->city);
    } else if (type == QLatin1String("ticket")) {
        if (auto ticket = core.tickets.getById(change.entityId)) {
            auto contact = core.contacts.getById(ticket->contactId);
            return QObject::tr("Job for %1 on %2")
                .arg(contact ? contact->name : QObject::tr("a customer"), formatLocal(ticket->scheduledAt));
        }
    }
    return {};
}

} // namespace

SyncPanel::SyncPanel(UiContext &context, SyncControl *service, QWidget *parent)
    : QWidget(parent), m_context(context), m_service(service), m_state(new QLabel(this)),
      m_pending(new QLabel(this)), m_lastSuccess(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_syncNow(new QPushButton(themedIcon(QStringLiteral("view-refresh")), tr("&Sync now"), this)),
      m_setUp(new QPushButton(tr("Set &up sync…"), this)), m_errorsModel(new RecentErrorsModel(this)),
      m_quarantineTitle(sectionTitle(tr("Set aside"), this)), m_quarantineModel(new QuarantineModel(this)),
      m_retry(new QPushButton(themedIcon(QStringLiteral("media-playback-start")),
                              tr("&Retry set-aside changes"), this))
{
    setUpWidgets();
    buildLayout();
    connectService();
    reload();
}

void SyncPanel::setUpWidgets()
{
    setObjectName(QStringLiteral("syncPanel"));
    m_state->setObjectName(QStringLiteral("syncStateLabel"));
    m_pending->setObjectName(QStringLiteral("syncPendingLabel"));
    m_lastSuccess->setObjectName(QStringLiteral("syncLastSuccessLabel"));
    m_progress->setObjectName(QStringLiteral("syncProgress"));
    m_syncNow->setObjectName(QStringLiteral("syncPanelNowButton"));
    m_setUp->setObjectName(QStringLiteral("syncSetUpButton"));
    m_retry->setObjectName(QStringLiteral("retryQuarantineButton"));
    m_errors = tableView("syncErrorsView", m_errorsModel, this);
    m_quarantine = tableView("quarantineView", m_quarantineModel, this);
    m_conflictsTitle = sectionTitle(tr("Conflicts"), this);
    m_conflictsTitle->setObjectName(QStringLiteral("conflictsTitle"));
    m_conflictsModel = new ConflictsModel(this);
    m_conflicts = tableView("conflictsView", m_conflictsModel, this);
    for (int column = 0; column < ConflictsModel::ColumnCount; ++column)
        m_conflicts->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_conflicts->horizontalHeader()->setSectionResizeMode(ConflictsModel::What, QHeaderView::Stretch);

    QFont stateFont = m_state->font();
    stateFont.setPointSizeF(stateFont.pointSizeF() * 1.3);
    stateFont.setWeight(QFont::DemiBold);
    m_state->setFont(stateFont);
    m_state->setWordWrap(true);
    m_progress->setTextVisible(true);
    m_progress->hide();
    // F5 belongs to the main window (one owner per shortcut); the tooltip says it is there.
    m_syncNow->setToolTip(withShortcut(tr("Send changes to the office now"), QKeySequence(Qt::Key_F5)));
    m_setUp->setToolTip(tr("Open the settings to connect to the office server"));
    m_retry->setToolTip(tr("Put the set-aside changes back in the queue and sync (after the cause was "
                           "fixed on the server)"));
    m_errors->horizontalHeader()->setSectionResizeMode(RecentErrorsModel::When,
                                                       QHeaderView::ResizeToContents);
    m_errors->horizontalHeader()->setSectionResizeMode(RecentErrorsModel::Source,
                                                       QHeaderView::ResizeToContents);
    m_errors->horizontalHeader()->setSectionResizeMode(RecentErrorsModel::Message, QHeaderView::Stretch);
    m_quarantine->horizontalHeader()->setSectionResizeMode(QuarantineModel::Entity,
                                                           QHeaderView::ResizeToContents);
    m_quarantine->horizontalHeader()->setSectionResizeMode(QuarantineModel::Change,
                                                           QHeaderView::ResizeToContents);
    m_quarantine->horizontalHeader()->setSectionResizeMode(QuarantineModel::Reason, QHeaderView::Stretch);
    m_quarantine->horizontalHeader()->setSectionResizeMode(QuarantineModel::Since,
                                                           QHeaderView::ResizeToContents);
}

void SyncPanel::buildLayout()
{
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(kSpacing);
    buttons->addWidget(m_syncNow);
    buttons->addWidget(m_setUp);
    buttons->addStretch(1);

    auto *facts = new QFormLayout;
    facts->setSpacing(kSpacing);
    facts->addRow(tr("Waiting to be sent:"), m_pending);
    facts->addRow(tr("Last successful sync:"), m_lastSuccess);
    facts->addRow(tr("Progress:"), m_progress);

    auto *quarantineHeader = new QHBoxLayout;
    quarantineHeader->setSpacing(kSpacing);
    quarantineHeader->addWidget(m_quarantineTitle, 1);
    quarantineHeader->addWidget(m_retry);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addWidget(m_state);
    layout->addLayout(facts);
    layout->addLayout(buttons);
    layout->addWidget(sectionTitle(tr("Recent errors"), this));
    layout->addWidget(m_errors, 1);
    layout->addLayout(quarantineHeader);
    layout->addWidget(m_quarantine, 1);
    layout->addWidget(m_conflictsTitle);
    layout->addWidget(m_conflicts, 1);
}

void SyncPanel::connectService()
{
    connect(m_setUp, &QPushButton::clicked, this, &SyncPanel::settingsRequested);
    // The sync worker writes conflicts on its own connection: a counter announces them (migration 008).
    m_context.whenChanged(this, {QStringLiteral("sync_conflicts")}, [this] { showConflicts(); });
    if (m_service) {
        connect(m_syncNow, &QPushButton::clicked, m_service, &SyncControl::syncNow);
        connect(m_retry, &QPushButton::clicked, m_service, &SyncControl::releaseQuarantine);
        connect(m_service, &SyncControl::onlineChanged, this, &SyncPanel::showState);
        connect(m_service, &SyncControl::lastErrorChanged, this, &SyncPanel::showState);
        connect(m_service, &SyncControl::pushConfiguredChanged, this, &SyncPanel::reload);
        connect(m_service, &SyncControl::pendingCountChanged, this, &SyncPanel::showPending);
        connect(m_service, &SyncControl::lastSuccessChanged, this, &SyncPanel::showLastSuccess);
        connect(m_service, &SyncControl::recentErrorsChanged, this, &SyncPanel::showErrors);
        connect(m_service, &SyncControl::quarantinedChanged, this, &SyncPanel::showQuarantine);
        connect(m_service, &SyncControl::pushProgress, this, &SyncPanel::showProgress);
        connect(m_service, &SyncControl::cycleStarted, this, &SyncPanel::cycleStarted);
        connect(m_service, &SyncControl::cycleFinished, this, &SyncPanel::cycleFinished);
    }
}

void SyncPanel::reload()
{
    showState();
    showPending();
    showLastSuccess();
    showErrors();
    showQuarantine();
    showConflicts();
}

void SyncPanel::showState()
{
    const bool configured = m_service && m_service->isPushConfigured();
    m_setUp->setVisible(!configured);
    m_syncNow->setEnabled(configured && !m_service->isCycleRunning());
    if (!configured) {
        m_state->setText(tr("Sync is not set up: changes stay on this laptop"));
        m_state->setToolTip(tr("Set the office server in the settings to send them"));
        return;
    }
    QString text;
    if (m_service->isCycleRunning())
        text = tr("Syncing…");
    else if (m_service->isOnline())
        text = tr("Online: the office server answered");
    else if (m_service->lastSuccess().isValid() || !m_service->lastError().isEmpty())
        text = tr("Offline: the office server does not answer");
    else
        text = tr("Connecting to the office server…");
    m_state->setText(text);
    m_state->setToolTip(m_service->lastError());
}

void SyncPanel::showPending()
{
    const int count = m_service ? m_service->pendingCount() : -1;
    if (count < 0)
        m_pending->setText(tr("Counting…"));
    else if (count == 0)
        m_pending->setText(tr("Nothing: every change was sent"));
    else
        m_pending->setText(count == 1 ? tr("1 change") : tr("%1 changes").arg(QLocale().toString(count)));
}

void SyncPanel::showLastSuccess()
{
    const QDateTime at = m_service ? m_service->lastSuccess() : QDateTime();
    m_lastSuccess->setText(at.isValid() ? formatLocal(at) : tr("Never"));
    m_lastSuccess->setToolTip(at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::LongFormat)
                                           : QString());
}

void SyncPanel::showErrors()
{
    m_errorsModel->setErrors(m_service ? m_service->recentErrors() : QList<RecentSyncError>());
}

void SyncPanel::showQuarantine()
{
    QList<QuarantinedChange> changes;
    if (m_service)
        changes = m_service->quarantined();
    QHash<QUuid, QString> labels;
    for (const QuarantinedChange &change : std::as_const(changes)) {
        if (!labels.contains(change.entityId))
            labels.insert(change.entityId, recordLabel(m_context.core(), change));
    }
    m_quarantineModel->setChanges(changes, labels);
    const int count = int(changes.size());
    m_quarantineTitle->setText(count == 0   ? tr("Set aside: none (the server took every change)")
                               : count == 1 ? tr("Set aside: 1 change the server refused")
                                            : tr("Set aside: %1 changes the server refused").arg(count));
    m_retry->setEnabled(count > 0 && m_service && m_service->isPushConfigured());
}

void SyncPanel::showConflicts()
{
    if (auto loaded = m_conflictsModel->load(m_context.core()); !loaded) {
        m_conflictsTitle->setText(tr("Conflicts: cannot be read (%1)").arg(loaded.error().toString()));
        return;
    }
    const int count = m_conflictsModel->rowCount();
    m_conflictsTitle->setText(
        count == 0 ? tr("Conflicts: none (no field was changed here and at the office at once)")
        : count == 1
            ? tr("Conflicts: 1 field changed here and at the office, and which value was kept")
            : tr("Conflicts: %1 fields changed here and at the office, and which value was kept").arg(count));
}

void SyncPanel::showProgress(int done, int total)
{
    m_pushed = true;
    m_progress->show();
    m_progress->setRange(0, std::max(total, 1));
    m_progress->setValue(std::min(done, std::max(total, 1)));
    // "processed": a change the server refused is done with too (it waits in the list below).
    m_progress->setFormat(tr("%1 of %2 changes processed").arg(done).arg(total));
}

void SyncPanel::cycleStarted()
{
    m_pushed = false;
    // Busy until the first batch reports: connecting, counting.
    m_progress->setRange(0, 0);
    m_progress->setFormat(tr("Connecting…"));
    m_progress->show();
    showState();
}

void SyncPanel::cycleFinished()
{
    // The last push's numbers stay in view; a cycle that had nothing to push leaves no bar behind.
    if (!m_pushed)
        m_progress->hide();
    showState();
    showQuarantine();
}

} // namespace fb::ui
