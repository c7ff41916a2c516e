#include "syncstatuswidget.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "syncapi/synccontrol.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QToolButton>

namespace fb::ui {

namespace {

QString ageText(const QDateTime &at, const QDateTime &now)
{
    const qint64 seconds = at.secsTo(now);
    if (seconds < 60)
        return QObject::tr("just now");
    if (seconds < 3600)
        return QObject::tr("%1 min ago").arg(seconds / 60);
    if (at.toLocalTime().date() == now.toLocalTime().date())
        return formatTime(at.toLocalTime().time());
    return formatLocal(at);
}

} // namespace

SyncStatusWidget::SyncStatusWidget(SyncControl *service, QWidget *parent)
    : QWidget(parent), m_service(service), m_online(new QLabel(this)), m_pending(new QLabel(this)),
      m_lastSuccess(new QLabel(this)), m_quarantined(new QLabel(this)), m_extractions(new QLabel(this)),
      m_syncNow(new QToolButton(this)), m_ageTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("syncStatus"));
    m_online->setObjectName(QStringLiteral("syncOnline"));
    m_pending->setObjectName(QStringLiteral("syncPending"));
    m_lastSuccess->setObjectName(QStringLiteral("syncLastSuccess"));
    m_quarantined->setObjectName(QStringLiteral("syncQuarantined"));
    m_syncNow->setObjectName(QStringLiteral("syncNowButton"));
    m_extractions->setObjectName(QStringLiteral("syncExtractions"));
    m_extractions->hide();

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(kSpacing, 0, kSpacing, 0);
    layout->setSpacing(2 * kSpacing);
    for (QWidget *w : {static_cast<QWidget *>(m_online), static_cast<QWidget *>(m_pending),
                       static_cast<QWidget *>(m_lastSuccess), static_cast<QWidget *>(m_quarantined),
                       static_cast<QWidget *>(m_extractions), static_cast<QWidget *>(m_syncNow)})
        layout->addWidget(w);
    m_quarantined->hide();

    m_syncNow->setText(tr("Sync now"));
    m_syncNow->setIcon(themedIcon(QStringLiteral("view-refresh")));
    m_syncNow->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_syncNow->setAutoRaise(true);
    connect(m_syncNow, &QToolButton::clicked, this, &SyncStatusWidget::syncNowRequested);

    if (!m_service) {
        showConfigured(false);
        return;
    }
    watchExtractions();
    connect(m_service, &SyncControl::onlineChanged, this, &SyncStatusWidget::setOnline);
    connect(m_service, &SyncControl::pendingCountChanged, this, &SyncStatusWidget::setPending);
    connect(m_service, &SyncControl::lastSuccessChanged, this, &SyncStatusWidget::setLastSuccess);
    connect(m_service, &SyncControl::lastErrorChanged, this, &SyncStatusWidget::setLastError);
    connect(m_service, &SyncControl::quarantinedChanged, this, [this](int count) { setQuarantined(count); });
    connect(m_service, &SyncControl::cycleStarted, this, [this] { setRunning(true); });
    connect(m_service, &SyncControl::cycleFinished, this, [this] { setRunning(false); });
    // Saving a server in the settings (or removing it) takes effect without a restart.
    connect(m_service, &SyncControl::pushConfiguredChanged, this, &SyncStatusWidget::showConfigured);
    // "5 min ago" must age on its own.
    m_ageTimer->setInterval(30'000);
    connect(m_ageTimer, &QTimer::timeout, this, &SyncStatusWidget::refreshAge);
    m_ageTimer->start();
    showConfigured(m_service->isPushConfigured());
}

void SyncStatusWidget::showConfigured(bool configured)
{
    m_pending->setVisible(configured);
    m_lastSuccess->setVisible(configured);
    m_syncNow->setEnabled(configured);
    if (!configured) {
        m_online->setText(tr("Sync not set up"));
        m_online->setToolTip(tr("Changes are kept on this laptop. Set the office server in the settings "
                                "(Ctrl+,) to send them to the office."));
        m_quarantined->hide();
        m_syncNow->setToolTip(tr("No sync server is configured"));
        return;
    }
    m_syncNow->setToolTip(withShortcut(tr("Send changes to the office now"), QKeySequence(Qt::Key_F5)));
    m_lastError = m_service->lastError();
    setOnline(m_service->isOnline());
    setPending(m_service->pendingCount());
    setLastSuccess(m_service->lastSuccess());
    setQuarantined(int(m_service->quarantined().size()));
}

void SyncStatusWidget::watchExtractions()
{
    auto show = [this] {
        const int waiting = m_service->pendingExtractions();
        m_extractions->setVisible(waiting > 0);
        m_extractions->setText(waiting == 1 ? tr("1 close-out waits for the model")
                                            : tr("%1 close-outs wait for the model").arg(waiting));
        m_extractions->setToolTip(m_service->extractionError().isEmpty()
                                      ? tr("Their notes go to the model as soon as it can be reached")
                                      : m_service->extractionError());
    };
    connect(m_service, &SyncControl::extractionPassFinished, this, show);
    connect(m_service, &SyncControl::extractionErrorChanged, this, show);
    show();
}

void SyncStatusWidget::setOnline(bool online)
{
    m_isOnline = online;
    m_online->setText(online ? tr("Online") : tr("Offline"));
    m_online->setToolTip(
        online ? tr("The office server answered during the last sync")
               : (m_lastError.isEmpty() ? tr("The office server has not answered yet") : m_lastError));
}

void SyncStatusWidget::setPending(int count)
{
    if (count < 0)
        m_pending->setText(tr("Counting changes…"));
    else if (count == 0)
        m_pending->setText(tr("All changes sent"));
    else
        m_pending->setText(count == 1 ? tr("1 change to send") : tr("%1 changes to send").arg(count));
}

void SyncStatusWidget::setLastSuccess(const QDateTime &at)
{
    m_lastSuccessAt = at;
    refreshAge();
}

void SyncStatusWidget::refreshAge()
{
    if (!m_lastSuccessAt.isValid()) {
        m_lastSuccess->setText(tr("Never synced"));
        m_lastSuccess->setToolTip({});
        return;
    }
    m_lastSuccess->setText(tr("Last sync %1").arg(ageText(m_lastSuccessAt, QDateTime::currentDateTimeUtc())));
    m_lastSuccess->setToolTip(QLocale().toString(m_lastSuccessAt.toLocalTime(), QLocale::LongFormat));
}

void SyncStatusWidget::setLastError(const QString &message)
{
    m_lastError = message;
    setOnline(m_isOnline);
}

void SyncStatusWidget::setQuarantined(int count)
{
    m_quarantined->setVisible(count > 0);
    m_quarantined->setText(count == 1 ? tr("1 change refused by the server")
                                      : tr("%1 changes refused by the server").arg(count));
}

void SyncStatusWidget::setRunning(bool running)
{
    m_syncNow->setEnabled(!running);
    m_syncNow->setText(running ? tr("Syncing…") : tr("Sync now"));
}

} // namespace fb::ui
