#include "settingsdialog.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "extraction/attributeextractor.h"
#include "llm/httpllmclient.h"
#include "llm/llmclientfactory.h"
#include "llm/llmkeystore.h"
#include "servercheck.h"
#include "servercredentialstore.h"
#include "serverurl.h"
#include "syncservice.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>

namespace fb::ui {

namespace {

const QString kServerUrlKey = QStringLiteral("sync/serverUrl");
const QString kIntervalKey = QStringLiteral("sync/intervalMinutes");
constexpr int kDefaultIntervalMinutes = 5;
constexpr int kMaxIntervalMinutes = 24 * 60;

/// Notes a technician would write, cut to a line: enough for the model to answer in the extraction's
/// format, cheap enough to send on every click.
const QString kSampleNotes = QStringLiteral("Cleaned 12 windows. Side gate code 4411. Dog called Biscuit.");

QLineEdit *lineEdit(const char *name, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QLatin1String(name));
    edit->setClearButtonEnabled(true);
    return edit;
}

QLabel *noteLabel(const char *name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    label->setFont(font);
    return label;
}

/// A test's result: a failure in red (a mid red that reads on the light and the dark palette alike).
void showResult(QLabel *label, bool ok, const QString &text)
{
    label->setText(text);
    label->setToolTip(text);
    label->setProperty("failed", !ok);
    QPalette palette = label->parentWidget()->palette();
    if (!ok)
        palette.setColor(QPalette::WindowText, QColor(0xd9, 0x3a, 0x3a));
    label->setPalette(palette);
}

QString envKeyName(sync::LlmProvider provider)
{
    return provider == sync::LlmProvider::Anthropic ? QStringLiteral("ANTHROPIC_API_KEY")
                                                    : QStringLiteral("OPENAI_API_KEY");
}

} // namespace

SettingsDialog::SettingsDialog(UiContext &context, sync::SyncService *sync, QWidget *parent)
    : QDialog(parent), m_context(context), m_sync(sync), m_serverUrl(lineEdit("serverUrlEdit", this)),
      m_serverPassword(lineEdit("serverPasswordEdit", this)),
      m_serverUrlNote(noteLabel("serverUrlNote", this)),
      m_passwordNote(noteLabel("serverPasswordNote", this)), m_interval(new QSpinBox(this)),
      m_testServer(new QPushButton(tr("&Test connection"), this)),
      m_serverResult(noteLabel("serverTestResult", this)), m_provider(new QComboBox(this)),
      m_model(lineEdit("llmModelEdit", this)), m_baseUrl(lineEdit("llmBaseUrlEdit", this)),
      m_key(lineEdit("llmKeyEdit", this)), m_keyNote(noteLabel("llmKeyNote", this)),
      m_testLlm(new QPushButton(tr("Test the m&odel"), this)), m_llmResult(noteLabel("llmTestResult", this)),
      m_save(nullptr)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    setMinimumWidth(64 * kSpacing);

    // The office server.
    m_serverUrl->setPlaceholderText(tr("postgresql://login@office.example.com/fieldbook"));
    m_serverUrl->setToolTip(tr("The office's PostgreSQL server. Empty: changes stay on this laptop."));
    m_serverPassword->setEchoMode(QLineEdit::Password);
    m_interval->setObjectName(QStringLiteral("syncIntervalSpin"));
    m_interval->setRange(1, kMaxIntervalMinutes);
    m_interval->setValue(kDefaultIntervalMinutes);
    m_interval->setSuffix(tr(" min"));
    m_interval->setToolTip(tr("How often changes are sent when nothing else triggers a sync"));
    m_testServer->setObjectName(QStringLiteral("testServerButton"));
    m_testServer->setToolTip(tr("Connect with these settings (nothing is saved or sent)"));
    connect(m_testServer, &QPushButton::clicked, this, &SettingsDialog::testServer);

    auto *serverBox = new QGroupBox(tr("Office server"), this);
    auto *serverForm = m_serverForm = new QFormLayout(serverBox);
    serverForm->setSpacing(kSpacing);
    serverForm->addRow(tr("Server &URL:"), m_serverUrl);
    serverForm->addRow(QString(), m_serverUrlNote);
    serverForm->addRow(tr("&Password:"), m_serverPassword);
    serverForm->addRow(QString(), m_passwordNote);
    serverForm->addRow(tr("Sync &every:"), m_interval);
    auto *serverTest = new QHBoxLayout;
    serverTest->setSpacing(kSpacing);
    serverTest->addWidget(m_testServer, 0, Qt::AlignTop);
    serverTest->addWidget(m_serverResult, 1);
    serverForm->addRow(QString(), serverTest);

    // The model.
    m_provider->setObjectName(QStringLiteral("llmProviderCombo"));
    m_provider->addItem(tr("Anthropic"), sync::toString(sync::LlmProvider::Anthropic));
    m_provider->addItem(tr("OpenAI-compatible"), sync::toString(sync::LlmProvider::OpenAiCompatible));
    m_key->setEchoMode(QLineEdit::Password);
    m_testLlm->setObjectName(QStringLiteral("testLlmButton"));
    m_testLlm->setToolTip(tr("Send a one-line sample note to the model with these settings"));
    connect(m_testLlm, &QPushButton::clicked, this, &SettingsDialog::testLlm);

    auto *llmBox = new QGroupBox(tr("Language model (reads close-out notes)"), this);
    auto *llmForm = new QFormLayout(llmBox);
    llmForm->setSpacing(kSpacing);
    llmForm->addRow(tr("Pro&vider:"), m_provider);
    llmForm->addRow(tr("&Model:"), m_model);
    llmForm->addRow(tr("&Base URL:"), m_baseUrl);
    llmForm->addRow(tr("API &key:"), m_key);
    llmForm->addRow(QString(), m_keyNote);
    auto *llmTest = new QHBoxLayout;
    llmTest->setSpacing(kSpacing);
    llmTest->addWidget(m_testLlm, 0, Qt::AlignTop);
    llmTest->addWidget(m_llmResult, 1);
    llmForm->addRow(QString(), llmTest);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    m_save->setToolTip(withShortcut(tr("Save and apply the settings"), QKeySequence::Save));
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    new QShortcut(QKeySequence::Save, this, this, &SettingsDialog::save);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addWidget(serverBox);
    layout->addWidget(llmBox);
    layout->addStretch(1);
    layout->addWidget(buttons);

    load();
    connect(m_provider, &QComboBox::currentIndexChanged, this, [this] {
        showProviderDefaults();
        readStoredKey(provider());
        showNotes();
    });
    connect(m_serverUrl, &QLineEdit::textChanged, this, &SettingsDialog::showNotes);
    readStoredSecrets();
    showProviderDefaults();
    showNotes();
    m_serverUrl->setFocus();
}

SettingsDialog::~SettingsDialog()
{
    // A test in flight is cancelled: its answer (which comes now, during destruction) is dropped.
    ++m_llmTest;
    m_llmClient.reset();
}

void SettingsDialog::load()
{
    const QSettings settings;
    // A URL stored with a password in it (by hand, or by an older version) is shown without it; Save stores
    // it without it.
    m_loadedUrl = sync::ServerCredentialStore::withoutPassword(settings.value(kServerUrlKey).toString());
    m_serverUrl->setText(m_loadedUrl);
    m_loadedInterval =
        std::clamp(settings.value(kIntervalKey, kDefaultIntervalMinutes).toInt(), 1, kMaxIntervalMinutes);
    m_interval->setValue(m_loadedInterval);

    // The stored model settings, not the environment's: those are what Save writes back.
    const sync::LlmSettings llm = sync::LlmSettings::fromSettings(settings);
    m_provider->setCurrentIndex(m_provider->findData(sync::toString(llm.provider)));
    m_model->setText(llm.model);
    m_baseUrl->setText(llm.baseUrl.toString());
}

void SettingsDialog::readStoredSecrets()
{
    if (!sync::ServerCredentialStore::enabled()) {
        const QString reason = sync::ServerCredentialStore::compiledIn()
                                   ? tr("the keychain is turned off on this computer")
                                   : tr("this build of Fieldbook has no keychain support");
        keychainUnavailable(reason, reason);
        return;
    }
    if (!m_loadedUrl.isEmpty()) {
        sync::ServerCredentialStore::read(m_loadedUrl,
                                          [guard = QPointer<SettingsDialog>(this)](Result<QString> password) {
                                              if (!guard)
                                                  return;
                                              if (password)
                                                  guard->m_storedPassword = *password;
                                              else if (password.error().code == ErrorCode::Unavailable)
                                                  guard->keychainUnavailable(password.error().message, {});
                                              guard->showNotes();
                                          });
    }
    readStoredKey(provider());
}

void SettingsDialog::readStoredKey(sync::LlmProvider which)
{
    if (!sync::LlmKeyStore::enabled() || !m_keychainWorks || m_storedKeys.contains(which))
        return;
    sync::LlmKeyStore::read(which, [guard = QPointer<SettingsDialog>(this), which](Result<QString> key) {
        if (!guard)
            return;
        if (key)
            guard->m_storedKeys.insert(which, *key);
        else if (key.error().code == ErrorCode::Unavailable)
            guard->keychainUnavailable({}, key.error().message);
        guard->showNotes();
    });
}

void SettingsDialog::keychainUnavailable(const QString &password, const QString &key)
{
    m_keychainWorks = false;
    if (m_passwordProblem.isEmpty())
        m_passwordProblem = password;
    if (m_keyProblem.isEmpty())
        m_keyProblem = key;
    showNotes();
}

void SettingsDialog::showNotes()
{
    const QString envUrl = qEnvironmentVariable("FIELDBOOK_SERVER_URL");
    m_serverForm->setRowVisible(m_serverUrlNote, !envUrl.isEmpty());
    m_serverUrlNote->setText(
        tr("FIELDBOOK_SERVER_URL is set: Fieldbook uses that server, whatever is saved here."));

    const bool sameServer = typedUrl() == m_loadedUrl;
    if (!m_keychainWorks) {
        m_serverPassword->setPlaceholderText(tr("Used until Fieldbook closes"));
        // Each note gives the reason its own lookup gave (the keychain's words name where that secret comes
        // from instead); the other lookup's failure says enough that the keychain cannot be used.
        const QString unusable = tr("the keychain cannot be used");
        m_passwordNote->setText(
            tr("The password is not saved (%1). To keep it, put it in ~/.pgpass, one line "
               "host:port:database:login:password, readable only by you (chmod 600): the connection reads it "
               "by itself. PGPASSWORD works too.")
                .arg(m_passwordProblem.isEmpty() ? unusable : m_passwordProblem));
        m_key->setPlaceholderText(tr("Used until Fieldbook closes"));
        m_keyNote->setText(
            tr("The key is not saved (%1). To keep it, set %2 in Fieldbook's environment.")
                .arg(m_keyProblem.isEmpty() ? unusable : m_keyProblem, envKeyName(provider())));
        return;
    }
    const bool passwordStored = sameServer && m_storedPassword.has_value();
    m_serverPassword->setPlaceholderText(passwordStored ? tr("Saved in the keychain: type to replace it")
                                                        : tr("Saved in the system keychain"));
    m_passwordNote->setText(tr("The password goes to the system keychain, never to the settings file. "
                               "Empty: ~/.pgpass or PGPASSWORD, if set, is used."));
    const bool keyStored = m_storedKeys.contains(provider());
    m_key->setPlaceholderText(keyStored ? tr("Saved in the keychain: type to replace it")
                                        : tr("Saved in the system keychain"));
    m_keyNote->setText(tr("The key goes to the system keychain, never to the settings file. %1 in the "
                          "environment wins over it.")
                           .arg(envKeyName(provider())));
}

void SettingsDialog::showProviderDefaults()
{
    sync::LlmSettings defaults;
    defaults.provider = provider();
    m_model->setPlaceholderText(tr("Default: %1").arg(defaults.effectiveModel()));
    m_baseUrl->setPlaceholderText(tr("Default: %1").arg(defaults.effectiveBaseUrl().toString()));
}

sync::LlmProvider SettingsDialog::provider() const
{
    return m_provider->currentData().toString() == sync::toString(sync::LlmProvider::OpenAiCompatible)
               ? sync::LlmProvider::OpenAiCompatible
               : sync::LlmProvider::Anthropic;
}

QString SettingsDialog::typedUrl(QString *password) const
{
    return sync::ServerCredentialStore::withoutPassword(m_serverUrl->text().trimmed(), password);
}

QString SettingsDialog::effectivePassword() const
{
    QString inUrl;
    const QString url = typedUrl(&inUrl);
    if (!m_serverPassword->text().isEmpty())
        return m_serverPassword->text();
    if (!inUrl.isEmpty())
        return inUrl;
    // The stored password belongs to the server it was saved for, and to no other.
    if (m_storedPassword && !url.isEmpty() &&
        sync::ServerCredentialStore::entryFor(url) == sync::ServerCredentialStore::entryFor(m_loadedUrl))
        return *m_storedPassword;
    return {};
}

sync::LlmSettings SettingsDialog::typedLlmSettings() const
{
    sync::LlmSettings llm = sync::LlmSettings::fromSettings(QSettings());
    llm.provider = provider();
    llm.model = m_model->text().trimmed();
    llm.baseUrl = QUrl(m_baseUrl->text().trimmed());
    llm.apiKey = m_key->text().trimmed();
    if (llm.apiKey.isEmpty())
        llm.apiKey = m_storedKeys.value(llm.provider);
    if (llm.apiKey.isEmpty())
        llm.apiKey = qEnvironmentVariable(envKeyName(llm.provider).toLatin1().constData()).trimmed();
    return llm;
}

bool SettingsDialog::validate()
{
    const QString url = m_serverUrl->text().trimmed();
    // ServerUrl says what is wrong in words; libpq's own parse errors would quote the password.
    if (const Status valid = sync::ServerUrl::check(url); !url.isEmpty() && !valid) {
        showError(this, tr("Cannot save the settings"),
                  tr("The server URL %1. It looks like postgresql://login@office.example.com/fieldbook.")
                      .arg(valid.error().message));
        m_serverUrl->setFocus();
        return false;
    }
    const QString base = m_baseUrl->text().trimmed();
    if (!base.isEmpty()) {
        const QUrl parsed(base, QUrl::StrictMode);
        if (!parsed.isValid() || parsed.host().isEmpty() ||
            (parsed.scheme() != QLatin1String("http") && parsed.scheme() != QLatin1String("https"))) {
            showError(this, tr("Cannot save the settings"),
                      tr("The model's base URL must be an http:// or https:// address, such as "
                         "https://api.anthropic.com."));
            m_baseUrl->setFocus();
            return false;
        }
    }
    return true;
}

void SettingsDialog::save()
{
    if (m_pendingWrites > 0 || !validate())
        return;
    QString urlPassword;
    const QString url = typedUrl(&urlPassword);
    const QString typedPassword =
        !m_serverPassword->text().isEmpty() ? m_serverPassword->text() : urlPassword;
    const QString key = m_key->text().trimmed();

    // Everything but the secrets, at once.
    QSettings settings;
    settings.setValue(kServerUrlKey, url);
    settings.setValue(kIntervalKey, m_interval->value());
    sync::LlmSettings llm = sync::LlmSettings::fromSettings(settings);
    llm.provider = provider();
    llm.model = m_model->text().trimmed();
    llm.baseUrl = QUrl(m_baseUrl->text().trimmed());
    llm.save(settings); // never the key
    settings.sync();
    m_serverUrl->setText(url);

    m_savedUrl = url;
    m_savedPassword = typedPassword.isEmpty() ? effectivePassword() : typedPassword;
    m_writeProblems.clear();
    const bool keychain = m_keychainWorks && sync::ServerCredentialStore::enabled();
    // Only what was typed goes to the keychain; an empty field keeps what is there.
    if (keychain && !url.isEmpty() && !typedPassword.isEmpty()) {
        ++m_pendingWrites;
        sync::ServerCredentialStore::write(
            url, typedPassword, [guard = QPointer<SettingsDialog>(this)](Status written) {
                if (guard)
                    guard->secretWritten(Secret::Password, written ? QString() : written.error().message);
            });
    }
    if (keychain && !key.isEmpty()) {
        ++m_pendingWrites;
        sync::LlmKeyStore::write(llm.provider, key, [guard = QPointer<SettingsDialog>(this)](Status written) {
            if (guard)
                guard->secretWritten(Secret::Key, written ? QString() : written.error().message);
        });
    }
    if (m_pendingWrites == 0) {
        finishSave();
        return;
    }
    m_save->setEnabled(false);
}

void SettingsDialog::secretWritten(Secret which, const QString &problem)
{
    if (!problem.isEmpty()) {
        m_writeProblems << problem;
        if (which == Secret::Password)
            keychainUnavailable(problem, {});
        else
            keychainUnavailable({}, problem);
    }
    if (--m_pendingWrites == 0)
        finishSave();
}

void SettingsDialog::finishSave()
{
    m_save->setEnabled(true);
    const QString key = m_key->text().trimmed();
    if (!key.isEmpty())
        m_storedKeys.insert(provider(), key);
    // What the server now uses, for the next test in this dialog (kept by the keychain or not).
    m_storedPassword = m_savedPassword.isEmpty() ? std::nullopt : std::optional<QString>(m_savedPassword);
    m_loadedUrl = m_savedUrl;
    apply(m_savedUrl, m_savedPassword);
    m_loadedInterval = m_interval->value();
    m_serverPassword->clear();
    m_key->clear();
    showNotes();
    Q_EMIT saved();
    if (!m_writeProblems.isEmpty()) {
        // Saved and in use for this session, but not kept: say so where the user is looking.
        showError(this, tr("The keychain did not keep a secret"),
                  m_writeProblems.join(QLatin1Char('\n')) +
                      tr("\nIt is used until Fieldbook closes. To keep the password, put it in ~/.pgpass."));
        return;
    }
    accept();
}

void SettingsDialog::apply(const QString &url, const QString &password)
{
    if (!m_sync)
        return;
    sync::SyncSettings current = m_sync->settings();
    // The environment's server wins, as when the app starts.
    const QString envUrl = qEnvironmentVariable("FIELDBOOK_SERVER_URL");
    const QString serverUrl = envUrl.isEmpty() ? url : envUrl;
    const auto interval = std::chrono::milliseconds(std::chrono::minutes(m_interval->value()));
    if (serverUrl != current.serverUrl || password != current.password) {
        current.serverUrl = serverUrl;
        current.password = password; // empty: SyncService asks the keychain, libpq ~/.pgpass
        current.interval = interval;
        m_sync->reconfigure(current);
    } else if (interval != current.interval) {
        m_sync->setInterval(interval.count());
    }
    // The model client is made again from the saved settings; a key typed here (kept by the keychain or not)
    // comes along, else SyncService asks the keychain.
    const QString key = m_storedKeys.value(provider());
    if (key.isEmpty()) {
        m_sync->reloadLlmSettings();
        return;
    }
    sync::LlmSettings llm = sync::LlmSettings::load(QSettings());
    if (llm.apiKey.isEmpty())
        llm.apiKey = key;
    m_sync->reloadLlmSettings(llm);
}

void SettingsDialog::testServer()
{
    const QString url = typedUrl();
    const quint64 test = ++m_serverTest;
    m_testServer->setEnabled(false);
    setServerResult(true, tr("Connecting…"));
    // libpq on a pool thread: the window keeps answering while it connects (up to its timeout).
    sync::ServerCheck::start(
        url, effectivePassword(), m_context.userId(), this,
        [this, test](Result<sync::ServerCheckResult> result) {
            if (test != m_serverTest)
                return;
            m_testServer->setEnabled(true);
            if (!result) {
                setServerResult(false, result.error().toString());
                Q_EMIT serverTestFinished(false);
                return;
            }
            setServerResult(
                true,
                result->schemaVersion
                    ? tr("Connected as %1, schema version %2").arg(result->role).arg(*result->schemaVersion)
                    : tr("Connected as %1; the server's schema is older than "
                         "this Fieldbook (run fieldbook server-init on it)")
                          .arg(result->role));
            Q_EMIT serverTestFinished(true);
        });
}

void SettingsDialog::testLlm()
{
    const quint64 test = ++m_llmTest;
    m_llmClient.reset(); // a test still running is cancelled; its answer no longer counts
    sync::LlmSettings llm = typedLlmSettings();
    // One attempt, a short wait: this is a question to the person at the keyboard, not a queued request.
    llm.maxRetries = 0;
    llm.totalTimeout = std::chrono::seconds(30);
    m_llmClient = sync::createLlmClient(llm);
    if (const QString problem = m_llmClient->configurationProblem(); !problem.isEmpty()) {
        m_llmClient.reset();
        setLlmResult(false, problem);
        Q_EMIT llmTestFinished(false);
        return;
    }
    m_testLlm->setEnabled(false);
    setLlmResult(true, tr("Asking the model…"));
    m_llmClient->exchange(AttributeExtractor::buildRequest(kSampleNotes),
                          [this, test](const sync::LlmOutcome &outcome) {
                              if (test != m_llmTest)
                                  return;
                              m_testLlm->setEnabled(true);
                              if (!outcome.ok()) {
                                  setLlmResult(false, outcome.error.describe());
                                  Q_EMIT llmTestFinished(false);
                                  return;
                              }
                              const QString model = outcome.model.isEmpty() ? tr("the model") : outcome.model;
                              QString text = tr("%1 answered (request-id %2)")
                                                 .arg(model, outcome.response->requestId.isEmpty()
                                                                 ? tr("none")
                                                                 : outcome.response->requestId);
                              // An answer the extraction cannot read would fail every close-out.
                              const auto read = AttributeExtractor::interpret(*outcome.response);
                              if (!read)
                                  text += tr(", but its answer cannot be used: %1").arg(read.error().message);
                              setLlmResult(read.ok(), text);
                              Q_EMIT llmTestFinished(read.ok());
                          });
}

void SettingsDialog::setServerResult(bool ok, const QString &text)
{
    showResult(m_serverResult, ok, text);
}

void SettingsDialog::setLlmResult(bool ok, const QString &text)
{
    showResult(m_llmResult, ok, text);
}

} // namespace fb::ui
