#pragma once

#include <QUuid>
#include <QWidget>

class QLineEdit;
class QListWidget;
class QPushButton;
class QLabel;

namespace fb {
class Core;
}

namespace fb::ui {

/// First start: create the technician profile (name, e-mail), pick one already in the database, or explore
/// the demo. A window of its own (the main window needs a technician); it never runs a nested event loop.
class FirstRunDialog final : public QWidget
{
    Q_OBJECT

public:
    explicit FirstRunDialog(Core &core, QWidget *parent = nullptr);

Q_SIGNALS:
    /// The technician to work as, created or picked.
    void profileChosen(const QUuid &userId);
    void demoRequested();

private:
    void create();

    Core &m_core;
    QLineEdit *m_name;
    QLineEdit *m_email;
    QLabel *m_error;
    QListWidget *m_profiles;
};

} // namespace fb::ui
