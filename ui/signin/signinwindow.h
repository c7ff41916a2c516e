#pragma once

#include <QUuid>
#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace fb {
class AppSettings;
class RestoreControl;
class SettingsBackend;
struct RestoreOutcome;
} // namespace fb

namespace fb::ui {

/// The first start's "Sign in to your office server" (issue 14, item 5): the server URL and the login's
/// password, then the technician's whole history restored into this file, with progress, cancellable, and
/// continued at the next start when it was interrupted. A window of its own, like the first start's.
///
/// It reaches the restore through RestoreControl and the keychain through SettingsBackend (core interfaces,
/// app hands in the sync wing's). Once the server accepted the login and the file holds the technician's
/// history (or part of it), the URL is saved in the settings (never a password) and the password goes to the
/// keychain, as the settings dialog keeps it; then signedIn() says whom the main window opens on.
class SignInWindow final : public QWidget
{
    Q_OBJECT

public:
    SignInWindow(RestoreControl &restore, SettingsBackend &backend, AppSettings &settings,
                 QWidget *parent = nullptr);

    /// What is being restored, in the window's words: "jobs" for the server's "tickets".
    static QString describe(const QString &what);

Q_SIGNALS:
    /// The restore is complete and the sync settings kept: the main window opens on `userId`.
    void signedIn(const QUuid &userId);
    /// Back to the first start's other choices (offered while the file holds nothing of a restore).
    void backRequested();

private:
    void buildLayout();
    void connectSignals();
    void prefill();
    void signIn();
    bool validate(QString &url, QString &password);
    void showProgress(const QString &what, qint64 done, qint64 total);
    void restoreFinished(const RestoreOutcome &outcome);
    void showProblem(const RestoreOutcome &outcome);
    /// Saves the URL and hands the password to the keychain (once per sign-in).
    void keepSettings();
    /// After the restore: signedIn() once the keychain answered, or what it said and "Open Fieldbook".
    void openWhenKept();
    void setRunning(bool running);
    void setError(QLabel *label, const QString &text);
    void updateIntro();

    RestoreControl &m_restore;
    SettingsBackend &m_backend;
    AppSettings &m_settings;
    QLabel *m_intro;
    QLineEdit *m_url;
    QLabel *m_urlError;
    QLineEdit *m_password;
    QLabel *m_passwordError;
    QLabel *m_status;
    QProgressBar *m_progress;
    QLabel *m_error;
    QPushButton *m_back;
    QPushButton *m_cancel;
    QPushButton *m_signIn;
    /// The URL (without a password) and the password of the running or last restore, kept in memory until
    /// they are saved.
    QString m_signedInUrl;
    QString m_signedInPassword;
    /// The keychain's password for the saved URL (an interrupted restore goes on without typing it again).
    std::optional<QString> m_storedPassword;
    bool m_kept = false;            ///< the URL and password were saved for this sign-in
    bool m_keychainWriting = false; ///< the keychain has not answered yet
    QString m_keychainProblem;      ///< why the keychain did not keep the password
    QUuid m_restored;               ///< the technician restored: the main window opens on them
};

} // namespace fb::ui
