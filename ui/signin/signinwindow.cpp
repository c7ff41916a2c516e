#include "signinwindow.h"

#include "common/feedback.h"
#include "syncapi/appsettings.h"
#include "syncapi/restorecontrol.h"
#include "syncapi/settingsbackend.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include <algorithm>

namespace fb::ui {

namespace {

QLabel *errorLabel(const char *name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A mid red that reads on the light and the dark palette alike (the settings dialog's).
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, QColor(0xd9, 0x3a, 0x3a));
    label->setPalette(palette);
    label->hide();
    return label;
}

/// A message of the sync wing ("the server refused the login: check the password") as a sentence.
QString sentence(QString message)
{
    message = message.trimmed();
    if (message.isEmpty())
        return message;
    message[0] = message[0].toUpper();
    if (!message.endsWith(QLatin1Char('.')))
        message += QLatin1Char('.');
    return message;
}

} // namespace

SignInWindow::SignInWindow(RestoreControl &restore, SettingsBackend &backend, AppSettings &settings,
                           QWidget *parent)
    : QWidget(parent, Qt::Window), m_restore(restore), m_backend(backend), m_settings(settings),
      m_intro(new QLabel(this)), m_url(new QLineEdit(this)), m_urlError(errorLabel("signInUrlError", this)),
      m_password(new QLineEdit(this)), m_passwordError(errorLabel("signInPasswordError", this)),
      m_status(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_error(errorLabel("signInError", this)), m_back(new QPushButton(tr("&Back"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_signIn(new QPushButton(tr("&Sign in"), this))
{
    setObjectName(QStringLiteral("signInWindow"));
    setWindowTitle(tr("Sign in to your office server"));
    m_url->setObjectName(QStringLiteral("signInUrlEdit"));
    m_password->setObjectName(QStringLiteral("signInPasswordEdit"));
    m_status->setObjectName(QStringLiteral("signInStatus"));
    m_progress->setObjectName(QStringLiteral("signInProgress"));
    m_back->setObjectName(QStringLiteral("signInBackButton"));
    m_cancel->setObjectName(QStringLiteral("signInCancelButton"));
    m_signIn->setObjectName(QStringLiteral("signInButton"));
    buildLayout();
    connectSignals();
    prefill();
    updateIntro();
    setRunning(false);
    resize(560, sizeHint().height());
}

QString SignInWindow::describe(const QString &what)
{
    if (what == QLatin1String("contacts"))
        return tr("customers");
    if (what == QLatin1String("tickets"))
        return tr("jobs");
    if (what == QLatin1String("line_items"))
        return tr("line items");
    if (what == QLatin1String("attributes"))
        return tr("job details");
    if (what == QLatin1String("scheduled_messages"))
        return tr("reach-outs");
    if (what == QLatin1String("addresses"))
        return tr("addresses");
    if (what == QLatin1String("services"))
        return tr("services");
    if (what == QLatin1String("invoices"))
        return tr("invoices");
    if (what == QLatin1String("notes"))
        return tr("notes");
    if (what == QLatin1String("history"))
        return tr("history");
    return QString(what).replace(QLatin1Char('_'), QLatin1Char(' '));
}

void SignInWindow::buildLayout()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(3 * kSpacing, 3 * kSpacing, 3 * kSpacing, 3 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    m_intro->setWordWrap(true);
    layout->addWidget(m_intro);

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    m_url->setPlaceholderText(tr("postgresql://login@office.example.com/fieldbook"));
    m_url->setToolTip(tr("The address of your office's server, with your own login: the office gives it"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setToolTip(tr("Your login's password. It is kept in the keychain, never in a file"));
    form->addRow(tr("Server &URL:"), m_url);
    form->addRow(QString(), m_urlError);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_passwordError);
    layout->addLayout(form);

    m_status->setWordWrap(true);
    m_progress->setTextVisible(false);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(m_error);
    layout->addStretch();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch();
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_signIn);
    m_signIn->setDefault(true);
    layout->addLayout(buttons);
}

void SignInWindow::connectSignals()
{
    connect(m_url, &QLineEdit::returnPressed, m_password, qOverload<>(&QWidget::setFocus));
    connect(m_password, &QLineEdit::returnPressed, this, &SignInWindow::signIn);
    connect(m_signIn, &QPushButton::clicked, this, &SignInWindow::signIn);
    connect(m_back, &QPushButton::clicked, this, &SignInWindow::backRequested);
    const auto cancel = [this] {
        if (!m_restore.isRunning())
            return;
        m_status->setText(tr("Stopping…"));
        m_restore.cancel();
    };
    connect(m_cancel, &QPushButton::clicked, this, cancel);
    connect(new QShortcut(QKeySequence::Cancel, this), &QShortcut::activated, this, cancel);
    connect(&m_restore, &RestoreControl::connected, this,
            [this] { m_status->setText(tr("Signed in. Restoring your history…")); });
    connect(&m_restore, &RestoreControl::progress, this, &SignInWindow::showProgress);
    connect(&m_restore, &RestoreControl::finished, this, &SignInWindow::restoreFinished);
}

void SignInWindow::prefill()
{
    // The server saved by an interrupted restore (or the settings): only the password is left to type, or
    // not even that when the keychain kept it.
    const QString saved = m_backend.withoutPassword(m_settings.serverUrl);
    m_url->setText(saved);
    (saved.isEmpty() ? m_url : m_password)->setFocus();
    if (saved.isEmpty() || m_restore.interruptedName().isEmpty() ||
        m_backend.serverPasswordKeychain() != SettingsBackend::Keychain::Enabled)
        return;
    m_backend.readServerPassword(saved, this, [this](Result<QString> password) {
        if (!password || password->isEmpty())
            return;
        m_storedPassword = *password;
        m_password->setPlaceholderText(tr("kept in the keychain"));
    });
}

void SignInWindow::updateIntro()
{
    const QString name = m_restore.interruptedName();
    if (name.isEmpty()) {
        m_intro->setText(tr("<h2>Sign in to your office server</h2>Your office keeps a copy of your jobs, "
                            "customers and history. Sign in with your own login to bring them onto this "
                            "laptop; sync goes on from there."));
        return;
    }
    m_intro->setText(tr("<h2>Continue restoring %1's history</h2>The restore from your office server "
                        "stopped before the end. Sign in to continue where it stopped.")
                         .arg(name.toHtmlEscaped()));
    m_signIn->setText(tr("&Continue"));
}

bool SignInWindow::validate(QString &url, QString &password)
{
    const QString typed = m_url->text().trimmed();
    if (typed.isEmpty()) {
        setError(m_urlError, tr("Type your office server's address, e.g. "
                                "postgresql://login@office.example.com/fieldbook."));
        m_url->setFocus();
        return false;
    }
    // In words, quoting nothing of the URL (libpq's parse errors quote the password).
    if (const Status valid = m_backend.checkServerUrl(typed); !valid) {
        setError(m_urlError, tr("The server URL %1.").arg(valid.error().message));
        m_url->setFocus();
        return false;
    }
    QString inUrl;
    url = m_backend.withoutPassword(typed, &inUrl);
    if (m_password->text().isEmpty() && !inUrl.isEmpty())
        m_password->setText(inUrl); // out of sight: the URL field shows no password
    m_url->setText(url);
    password = m_password->text();
    if (password.isEmpty() && m_storedPassword &&
        m_backend.sameServerAccount(url, m_backend.withoutPassword(m_settings.serverUrl)))
        password = *m_storedPassword;
    if (password.isEmpty()) {
        setError(m_passwordError, tr("Type your login's password."));
        m_password->setFocus();
        return false;
    }
    return true;
}

void SignInWindow::signIn()
{
    if (!m_restored.isNull()) {
        if (!m_keychainWriting)
            Q_EMIT signedIn(m_restored); // restored; the keychain's problem was read
        return;
    }
    if (m_restore.isRunning())
        return;
    setError(m_urlError, {});
    setError(m_passwordError, {});
    setError(m_error, {});
    QString url;
    QString password;
    if (!validate(url, password))
        return;
    m_signedInUrl = url;
    m_signedInPassword = password;
    m_kept = false;
    m_keychainProblem.clear();
    m_status->setText(tr("Connecting to the server…"));
    m_restore.start(url, password);
    setRunning(true);
}

void SignInWindow::showProgress(const QString &what, qint64 done, qint64 total)
{
    // A page is in: the server took the login as a technician's and the file holds part of the history. The
    // server is kept now, so that a restore cut short (the app quit) is offered to go on with it.
    keepSettings();
    const QLocale locale;
    if (total > 0) {
        m_status->setText(
            tr("Restoring %1: %2 of %3").arg(describe(what), locale.toString(done), locale.toString(total)));
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::min<qint64>(1000, done * 1000 / total)));
    } else {
        m_status->setText(tr("Restoring %1: %2 entries").arg(describe(what), locale.toString(done)));
        m_progress->setRange(0, 0);
    }
}

void SignInWindow::restoreFinished(const RestoreOutcome &outcome)
{
    setRunning(false);
    if (outcome.ok()) {
        m_status->setText(tr("Restored %1's jobs, customers and history.").arg(outcome.name));
        m_password->clear();
        m_restored = outcome.userId;
        keepSettings();
        openWhenKept();
        return;
    }
    showProblem(outcome);
    // The file holds part of this technician's history: the next start continues, with this server.
    if (!outcome.userId.isNull())
        keepSettings();
    updateIntro();
    setRunning(false);
}

void SignInWindow::openWhenKept()
{
    if (m_keychainWriting)
        return; // its answer comes back here
    if (m_keychainProblem.isEmpty()) {
        Q_EMIT signedIn(m_restored);
        return;
    }
    // Said where the user is looking before the main window opens; the password serves this session.
    m_url->setEnabled(false);
    m_password->setEnabled(false);
    m_signIn->setText(tr("&Open Fieldbook"));
    m_signIn->setEnabled(true);
    m_signIn->setFocus();
}

void SignInWindow::showProblem(const RestoreOutcome &outcome)
{
    const QString message = sentence(outcome.message);
    m_status->clear();
    switch (outcome.problem) {
    case RestoreOutcome::Problem::Password:
        setError(m_passwordError, message);
        m_password->setFocus();
        m_password->selectAll();
        break;
    case RestoreOutcome::Problem::ServerUrl:
        setError(m_urlError, message);
        m_url->setFocus();
        break;
    case RestoreOutcome::Problem::Cancelled:
        m_status->setText(outcome.userId.isNull()
                              ? tr("Stopped before anything was restored.")
                              : tr("Stopped. What was restored stays here: Continue goes on from there."));
        m_signIn->setText(tr("&Continue"));
        m_signIn->setFocus();
        break;
    case RestoreOutcome::Problem::Network:
        setError(m_error, message);
        m_signIn->setText(tr("&Try again"));
        m_signIn->setFocus();
        break;
    case RestoreOutcome::Problem::None:
    case RestoreOutcome::Problem::Other:
        setError(m_error, message);
        break;
    }
}

void SignInWindow::keepSettings()
{
    if (m_kept)
        return;
    m_kept = true;
    m_settings.serverUrl = m_signedInUrl;
    m_settings.save(); // never a secret
    if (m_signedInPassword.isEmpty() ||
        m_backend.serverPasswordKeychain() != SettingsBackend::Keychain::Enabled)
        return; // no keychain here: the password serves this session from memory
    m_keychainWriting = true;
    m_backend.writeServerPassword(m_signedInUrl, m_signedInPassword, this, [this](Status written) {
        m_keychainWriting = false;
        if (!written) {
            m_keychainProblem = written.error().message;
            setError(m_error, tr("The keychain did not keep the password: %1\nIt is used until Fieldbook "
                                 "closes. To keep it, put it in ~/.pgpass.")
                                  .arg(m_keychainProblem));
        }
        if (!m_restored.isNull())
            openWhenKept();
    });
}

void SignInWindow::setRunning(bool running)
{
    m_url->setEnabled(!running);
    m_password->setEnabled(!running);
    m_signIn->setEnabled(!running);
    m_cancel->setVisible(running);
    m_progress->setVisible(running);
    m_back->setVisible(!running && m_restore.interruptedName().isEmpty());
    if (running) {
        m_progress->setRange(0, 0); // busy until the first page
        m_cancel->setFocus();
    }
}

void SignInWindow::setError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace fb::ui
