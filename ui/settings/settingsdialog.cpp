#include "settingsdialog.h"

#include "common/feedback.h"
#include "common/humanize.h"
#include "common/moneytext.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "syncapi/appsettings.h"
#include "syncapi/settingsbackend.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace fb::ui {

namespace {

/// "CHF", "US$", "kr": a sign or a short code.
constexpr int kMaxCurrencyLength = 8;

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

QString envKeyName(LlmProvider provider)
{
    return provider == LlmProvider::Anthropic ? QStringLiteral("ANTHROPIC_API_KEY")
                                              : QStringLiteral("OPENAI_API_KEY");
}

} // namespace

SettingsDialog::SettingsDialog(UiContext &context, AppSettings &settings, SettingsBackend &backend,
                               QWidget *parent)
    : EditDialog(parent), m_context(context), m_settings(settings), m_backend(backend),
      m_serverUrl(lineEdit("serverUrlEdit", this)), m_serverPassword(lineEdit("serverPasswordEdit", this)),
      m_serverUrlNote(noteLabel("serverUrlNote", this)),
      m_passwordNote(noteLabel("serverPasswordNote", this)), m_interval(new QSpinBox(this)),
      m_testServer(new QPushButton(tr("&Test connection"), this)),
      m_serverResult(noteLabel("serverTestResult", this)), m_provider(new QComboBox(this)),
      m_model(lineEdit("llmModelEdit", this)), m_baseUrl(lineEdit("llmBaseUrlEdit", this)),
      m_key(lineEdit("llmKeyEdit", this)), m_keyNote(noteLabel("llmKeyNote", this)),
      m_testLlm(new QPushButton(tr("Test the m&odel"), this)), m_llmResult(noteLabel("llmTestResult", this)),
      m_currency(lineEdit("currencyEdit", this)), m_currencyExample(noteLabel("currencyExample", this)),
      m_save(nullptr)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    setMinimumWidth(64 * kSpacing);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addWidget(buildServerBox());
    layout->addWidget(buildModelBox());
    layout->addWidget(buildBusinessBox());
    layout->addStretch(1);
    layout->addWidget(buildButtons());

    load();
    connectFields();
    readStoredSecrets();
    showProviderDefaults();
    showNotes();
    showCurrencyExample();
    markUnchanged();
    m_serverUrl->setFocus();
}

QGroupBox *SettingsDialog::buildServerBox()
{
    m_serverUrl->setPlaceholderText(tr("postgresql://login@office.example.com/fieldbook"));
    m_serverUrl->setToolTip(tr("The office's PostgreSQL server. Empty: changes stay on this laptop."));
    m_serverPassword->setEchoMode(QLineEdit::Password);
    m_interval->setObjectName(QStringLiteral("syncIntervalSpin"));
    m_interval->setRange(1, AppSettings::kMaxSyncIntervalMinutes);
    m_interval->setValue(AppSettings::kDefaultSyncIntervalMinutes);
    m_interval->setSuffix(tr(" min"));
    m_interval->setToolTip(tr("How often changes are sent when nothing else triggers a sync"));
    m_testServer->setObjectName(QStringLiteral("testServerButton"));
    m_testServer->setToolTip(tr("Connect with these settings (nothing is saved or sent)"));

    auto *serverBox = new QGroupBox(tr("Office server"), this);
    auto *serverForm = m_serverForm = new QFormLayout(serverBox);
    serverForm->setSpacing(kSpacing);
    serverForm->addRow(tr("Server &URL:"),
                       m_fieldErrors.add(QStringLiteral("serverUrl"), tr("Server URL"), m_serverUrl));
    serverForm->addRow(QString(), m_serverUrlNote);
    serverForm->addRow(tr("&Password:"), m_serverPassword);
    serverForm->addRow(QString(), m_passwordNote);
    serverForm->addRow(tr("Sync &every:"), m_interval);
    auto *serverTest = new QHBoxLayout;
    serverTest->setSpacing(kSpacing);
    serverTest->addWidget(m_testServer, 0, Qt::AlignTop);
    serverTest->addWidget(m_serverResult, 1);
    serverForm->addRow(QString(), serverTest);
    return serverBox;
}

QGroupBox *SettingsDialog::buildModelBox()
{
    m_provider->setObjectName(QStringLiteral("llmProviderCombo"));
    m_provider->addItem(tr("Anthropic"), toString(LlmProvider::Anthropic));
    m_provider->addItem(tr("OpenAI-compatible"), toString(LlmProvider::OpenAiCompatible));
    m_key->setEchoMode(QLineEdit::Password);
    m_testLlm->setObjectName(QStringLiteral("testLlmButton"));
    m_testLlm->setToolTip(tr("Send a one-line sample note to the model with these settings"));

    auto *llmBox = new QGroupBox(tr("Language model (reads close-out notes)"), this);
    auto *llmForm = new QFormLayout(llmBox);
    llmForm->setSpacing(kSpacing);
    llmForm->addRow(tr("Pro&vider:"), m_provider);
    llmForm->addRow(tr("&Model:"), m_model);
    llmForm->addRow(tr("&Base URL:"),
                    m_fieldErrors.add(QStringLiteral("baseUrl"), tr("Base URL"), m_baseUrl));
    llmForm->addRow(tr("API &key:"), m_key);
    llmForm->addRow(QString(), m_keyNote);
    auto *llmTest = new QHBoxLayout;
    llmTest->setSpacing(kSpacing);
    llmTest->addWidget(m_testLlm, 0, Qt::AlignTop);
    llmTest->addWidget(m_llmResult, 1);
    llmForm->addRow(QString(), llmTest);
    return llmBox;
}

QGroupBox *SettingsDialog::buildBusinessBox()
{
    m_currency->setClearButtonEnabled(false);
    m_currency->setMaxLength(kMaxCurrencyLength);
    m_currency->setToolTip(tr("The currency sign amounts are shown with, on screen and on invoices"));
    auto *box = new QGroupBox(tr("Business"), this);
    auto *form = new QFormLayout(box);
    form->setSpacing(kSpacing);
    form->addRow(tr("&Currency:"), m_fieldErrors.add(QStringLiteral("currency"), tr("Currency"), m_currency));
    form->addRow(QString(), m_currencyExample);
    connect(m_currency, &QLineEdit::textChanged, this, &SettingsDialog::showCurrencyExample);
    return box;
}

void SettingsDialog::showCurrencyExample()
{
    const QString symbol = m_currency->text().trimmed();
    const QString locales = QLocale().currencySymbol();
    if (!symbol.isEmpty())
        m_currencyExample->setText(
            tr("Amounts read %1").arg(Money::fromCents(123450).toDisplayString(QLocale(), symbol)));
    else if (!locales.isEmpty())
        m_currencyExample->setText(tr("Empty: the sign of your language and region (%1)").arg(locales));
    else // the C locale has none
        m_currencyExample->setText(tr("Empty: amounts are shown without a currency sign"));
}

QDialogButtonBox *SettingsDialog::buildButtons()
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    m_save->setToolTip(withShortcut(tr("Save and apply the settings"), QKeySequence::Save));
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    new QShortcut(QKeySequence::Save, this, this, &SettingsDialog::save);
    return buttons;
}

/// After load(): a provider chosen while loading is no change of the user's.
void SettingsDialog::connectFields()
{
    connect(m_testServer, &QPushButton::clicked, this, &SettingsDialog::testServer);
    connect(m_testLlm, &QPushButton::clicked, this, &SettingsDialog::testLlm);
    connect(m_provider, &QComboBox::currentIndexChanged, this, [this] {
        showProviderDefaults();
        readStoredKey(provider());
        showNotes();
    });
    connect(m_serverUrl, &QLineEdit::textChanged, this, &SettingsDialog::showNotes);
}

SettingsDialog::~SettingsDialog()
{
    // A test in flight is cancelled: its answer (which comes now, during destruction) is dropped.
    ++m_llmTest;
    m_backend.cancelModelTest();
}

void SettingsDialog::load()
{
    // A URL stored with a password in it (by hand, or by an older version) is shown without it; Save stores
    // it without it.
    m_loadedUrl = m_backend.withoutPassword(m_settings.serverUrl);
    m_serverUrl->setText(m_loadedUrl);
    m_loadedInterval = m_settings.syncIntervalMinutes;
    m_interval->setValue(m_loadedInterval);

    // The stored model settings, not the environment's: those are what Save writes back.
    const LlmSettings &llm = m_settings.llm;
    m_provider->setCurrentIndex(m_provider->findData(toString(llm.provider)));
    m_model->setText(llm.model);
    m_baseUrl->setText(llm.baseUrl.toString());
    m_currency->setText(m_settings.currencySymbol);
}

void SettingsDialog::readStoredSecrets()
{
    if (const auto keychain = m_backend.serverPasswordKeychain();
        keychain != SettingsBackend::Keychain::Enabled) {
        const QString reason = keychain == SettingsBackend::Keychain::TurnedOff
                                   ? tr("the keychain is turned off on this computer")
                                   : tr("this build of Fieldbook has no keychain support");
        keychainUnavailable(reason, reason);
        return;
    }
    if (!m_loadedUrl.isEmpty()) {
        m_backend.readServerPassword(m_loadedUrl, this, [this](Result<QString> password) {
            if (password)
                m_storedPassword = *password;
            else if (password.error().code == ErrorCode::Unavailable)
                keychainUnavailable(password.error().message, {});
            showNotes();
        });
    }
    readStoredKey(provider());
}

void SettingsDialog::readStoredKey(LlmProvider which)
{
    if (!m_backend.modelKeyKeychainEnabled() || !m_keychainWorks || m_storedKeys.contains(which))
        return;
    m_backend.readModelKey(which, this, [this, which](Result<QString> key) {
        if (key)
            m_storedKeys.insert(which, *key);
        else if (key.error().code == ErrorCode::Unavailable)
            keychainUnavailable({}, key.error().message);
        showNotes();
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
    LlmSettings defaults;
    defaults.provider = provider();
    m_model->setPlaceholderText(tr("Default: %1").arg(defaults.effectiveModel()));
    m_baseUrl->setPlaceholderText(tr("Default: %1").arg(defaults.effectiveBaseUrl().toString()));
}

LlmProvider SettingsDialog::provider() const
{
    return m_provider->currentData().toString() == toString(LlmProvider::OpenAiCompatible)
               ? LlmProvider::OpenAiCompatible
               : LlmProvider::Anthropic;
}

QString SettingsDialog::typedUrl(QString *password) const
{
    return m_backend.withoutPassword(m_serverUrl->text().trimmed(), password);
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
    if (m_storedPassword && !url.isEmpty() && m_backend.sameServerAccount(url, m_loadedUrl))
        return *m_storedPassword;
    return {};
}

LlmSettings SettingsDialog::typedLlmSettings() const
{
    LlmSettings llm = m_settings.llm;
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
    m_fieldErrors.clear();
    const QString url = m_serverUrl->text().trimmed();
    // The backend says what is wrong in words; libpq's own parse errors would quote the password.
    if (const Status valid = m_backend.checkServerUrl(url); !url.isEmpty() && !valid) {
        m_fieldErrors.say(
            QStringLiteral("serverUrl"),
            tr("The server URL %1. It looks like postgresql://login@office.example.com/fieldbook.")
                .arg(valid.error().message));
        return false;
    }
    if (const Status valid = m_backend.checkModelBaseUrl(m_baseUrl->text()); !valid) {
        m_fieldErrors.say(QStringLiteral("baseUrl"),
                          tr("The model's base URL %1.").arg(valid.error().message));
        return false;
    }
    const QString currency = m_currency->text().trimmed();
    if (std::any_of(currency.cbegin(), currency.cend(), [](QChar c) { return c.isDigit(); })) {
        m_fieldErrors.show(QStringLiteral("currency"),
                           tr("type a currency sign or code like %1, without digits ('%2' has some)")
                               .arg(QLocale().currencySymbol(), currency));
        return false;
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
    m_settings.serverUrl = url;
    m_settings.syncIntervalMinutes = m_interval->value();
    m_settings.llm.provider = provider();
    m_settings.llm.model = m_model->text().trimmed();
    m_settings.llm.baseUrl = QUrl(m_baseUrl->text().trimmed());
    const QString currency = m_currency->text().trimmed();
    m_settings.currencySymbol = currency.isEmpty() ? QLocale().currencySymbol() : currency;
    m_currency->setText(m_settings.currencySymbol);
    m_settings.save(); // never a secret
    setBusinessCurrency(m_settings.currencySymbol);
    m_serverUrl->setText(url);

    m_savedUrl = url;
    m_savedPassword = typedPassword.isEmpty() ? effectivePassword() : typedPassword;
    m_writeProblems.clear();
    const bool keychain =
        m_keychainWorks && m_backend.serverPasswordKeychain() == SettingsBackend::Keychain::Enabled;
    // Only what was typed goes to the keychain; an empty field keeps what is there.
    if (keychain && !url.isEmpty() && !typedPassword.isEmpty()) {
        ++m_pendingWrites;
        m_backend.writeServerPassword(url, typedPassword, this, [this](Status written) {
            secretWritten(Secret::Password, written ? QString() : written.error().message);
        });
    }
    if (keychain && !key.isEmpty()) {
        ++m_pendingWrites;
        m_backend.writeModelKey(m_settings.llm.provider, key, this, [this](Status written) {
            secretWritten(Secret::Key, written ? QString() : written.error().message);
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
    // The running sync follows: a key typed here (kept by the keychain or not) comes along.
    m_backend.apply(m_settings, m_savedPassword, m_storedKeys.value(provider()));
    m_loadedInterval = m_interval->value();
    m_serverPassword->clear();
    m_key->clear();
    showNotes();
    markUnchanged(); // saved: Escape now closes without asking
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

void SettingsDialog::testServer()
{
    const QString url = typedUrl();
    const quint64 test = ++m_serverTest;
    m_testServer->setEnabled(false);
    setServerResult(true, tr("Connecting…"));
    m_backend.testServer(
        url, effectivePassword(), m_context.userId(), this, [this, test](Result<ServerCheckResult> result) {
            if (test != m_serverTest)
                return;
            m_testServer->setEnabled(true);
            if (!result) {
                setServerResult(false, errorText(result.error()));
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
    m_testLlm->setEnabled(false);
    setLlmResult(true, tr("Asking the model…"));
    // Settings that cannot work (no key) are said before testModel() returns.
    m_backend.testModel(typedLlmSettings(), this, [this, test](Result<ModelCheckResult> result) {
        if (test != m_llmTest)
            return;
        m_testLlm->setEnabled(true);
        if (!result) {
            setLlmResult(false, result.error().message);
            Q_EMIT llmTestFinished(false);
            return;
        }
        const QString model = result->model.isEmpty() ? tr("the model") : result->model;
        QString text = tr("%1 answered (request-id %2)")
                           .arg(model, result->requestId.isEmpty() ? tr("none") : result->requestId);
        // An answer the extraction cannot read would fail every close-out.
        if (!result->unusable.isEmpty())
            text += tr(", but its answer cannot be used: %1").arg(result->unusable);
        setLlmResult(result->unusable.isEmpty(), text);
        Q_EMIT llmTestFinished(result->unusable.isEmpty());
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
