#pragma once

#include <QUuid>
#include <QWidget>

class QLineEdit;
class QListWidget;
class QPushButton;
class QLabel;
class QVBoxLayout;

namespace fb {
class Core;
}

namespace fb::ui {

/// First start: create the technician profile (name, e-mail), sign in to the office server (a file with no
/// profile: the technician's history is restored from there, see SignInWindow), pick a profile already in
/// the database, or explore the demo. A window of its own (the main window needs a technician); it never runs
/// a nested event loop.
class FirstRunDialog final : public QWidget
{
    Q_OBJECT

public:
    explicit FirstRunDialog(Core &core, QWidget *parent = nullptr);

Q_SIGNALS:
    /// The technician to work as, created or picked.
    void profileChosen(const QUuid &userId);
    void demoRequested();
    /// "Sign in to your office server" (offered while the file holds no profile).
    void signInRequested();

private:
    void create();
    void addSignInBox(QVBoxLayout *layout);

    Core &m_core;
    QLineEdit *m_name;
    QLineEdit *m_email;
    QLabel *m_error;
    QListWidget *m_profiles;
};

} // namespace fb::ui
