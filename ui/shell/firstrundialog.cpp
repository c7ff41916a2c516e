#include "firstrundialog.h"

#include "common/feedback.h"
#include "core.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace fb::ui {

FirstRunDialog::FirstRunDialog(Core &core, QWidget *parent)
    : QWidget(parent, Qt::Window), m_core(core), m_name(new QLineEdit(this)), m_email(new QLineEdit(this)),
      m_error(new QLabel(this)), m_profiles(new QListWidget(this))
{
    setObjectName(QStringLiteral("firstRunDialog"));
    setWindowTitle(tr("Welcome to Fieldbook"));
    m_name->setObjectName(QStringLiteral("profileNameEdit"));
    m_email->setObjectName(QStringLiteral("profileEmailEdit"));
    m_error->setObjectName(QStringLiteral("profileError"));
    m_profiles->setObjectName(QStringLiteral("profilesList"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(3 * kSpacing, 3 * kSpacing, 3 * kSpacing, 3 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    auto *intro = new QLabel(tr("<h2>Welcome to Fieldbook</h2>Your jobs, customers and notes live on this "
                                "laptop and work without a connection. Who is working here?"),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *createBox = new QGroupBox(tr("Create my profile"), this);
    auto *form = new QFormLayout(createBox);
    form->setSpacing(kSpacing);
    m_name->setPlaceholderText(tr("e.g. Sam Rivera"));
    m_email->setPlaceholderText(tr("e.g. sam@example.com"));
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&E-mail:"), m_email);
    auto *createButton = new QPushButton(tr("Create profile"), createBox);
    createButton->setObjectName(QStringLiteral("createProfileButton"));
    createButton->setDefault(true);
    form->addRow(m_error);
    form->addRow(QString(), createButton);
    layout->addWidget(createBox);
    connect(createButton, &QPushButton::clicked, this, &FirstRunDialog::create);
    connect(m_email, &QLineEdit::returnPressed, this, &FirstRunDialog::create);

    auto users = m_core.users.list();
    if (users && users->isEmpty())
        addSignInBox(layout);
    if (users && !users->isEmpty()) {
        auto *pickBox = new QGroupBox(tr("Or continue as"), this);
        auto *pickLayout = new QVBoxLayout(pickBox);
        for (const User &user : *users) {
            auto *item =
                new QListWidgetItem(QStringLiteral("%1 <%2>").arg(user.name, user.email), m_profiles);
            item->setData(Qt::UserRole, user.id);
        }
        pickLayout->addWidget(m_profiles);
        auto *pickButton = new QPushButton(tr("Continue"), pickBox);
        pickButton->setObjectName(QStringLiteral("pickProfileButton"));
        pickLayout->addWidget(pickButton);
        layout->addWidget(pickBox);
        auto pick = [this] {
            if (auto *item = m_profiles->currentItem())
                Q_EMIT profileChosen(item->data(Qt::UserRole).toUuid());
        };
        connect(pickButton, &QPushButton::clicked, this, pick);
        connect(m_profiles, &QListWidget::itemActivated, this, pick);
    } else {
        m_profiles->hide();
    }

    auto *demoButton = new QPushButton(tr("Just looking? Explore the demo"), this);
    demoButton->setObjectName(QStringLiteral("exploreDemoButton"));
    demoButton->setToolTip(tr("Opens a separate demo database with made-up customers and jobs"));
    layout->addWidget(demoButton);
    connect(demoButton, &QPushButton::clicked, this, &FirstRunDialog::demoRequested);
    resize(520, sizeHint().height());
}

void FirstRunDialog::addSignInBox(QVBoxLayout *layout)
{
    // A new laptop or a second device: the history the office server keeps comes back with the login.
    auto *signInBox = new QGroupBox(tr("Or sign in to your office server"), this);
    auto *signInLayout = new QVBoxLayout(signInBox);
    auto *about = new QLabel(tr("Already working with Fieldbook? Your jobs, customers and history come "
                                "back from the office with your login."),
                             signInBox);
    about->setWordWrap(true);
    signInLayout->addWidget(about);
    auto *signInButton = new QPushButton(tr("&Sign in to your office server…"), signInBox);
    signInButton->setObjectName(QStringLiteral("signInToServerButton"));
    signInLayout->addWidget(signInButton);
    layout->addWidget(signInBox);
    connect(signInButton, &QPushButton::clicked, this, &FirstRunDialog::signInRequested);
}

void FirstRunDialog::create()
{
    UserCreate profile;
    profile.name = m_name->text().trimmed();
    profile.email = m_email->text().trimmed();
    auto user = m_core.users.create(profile);
    if (!user) {
        m_error->setText(user.error().toString());
        m_error->show();
        return;
    }
    Q_EMIT profileChosen(user->id);
}

} // namespace fb::ui
