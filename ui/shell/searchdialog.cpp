#include "searchdialog.h"

#include "common/contactresultsmodel.h"
#include "common/contactsearch.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"

#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include <utility>

namespace fb::ui {

namespace {
constexpr int kMaxResults = 20;
}

SearchDialog::SearchDialog(UiContext &context, QWidget *parent)
    : QDialog(parent), m_context(context),
      m_search(new ContactSearch(
          context,
          [this](const ContactSearch::Answer &answer) { showResults(answer.request.query, answer.hits); },
          this)),
      m_edit(new QLineEdit(this)), m_results(new QListWidget(this)), m_hint(new QLabel(this)),
      m_resultIcon(themedIcon(QStringLiteral("system-users")))
{
    setObjectName(QStringLiteral("searchDialog"));
    setWindowTitle(tr("Search customers"));
    m_edit->setObjectName(QStringLiteral("searchEdit"));
    m_results->setObjectName(QStringLiteral("searchResults"));
    m_hint->setObjectName(QStringLiteral("searchHint"));
    m_edit->setPlaceholderText(tr("Name, e-mail, phone, street or city"));
    m_edit->addAction(themedIcon(QStringLiteral("edit-find")), QLineEdit::LeadingPosition);
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);
    m_hint->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addWidget(m_edit);
    layout->addWidget(m_results, 1);
    layout->addWidget(m_hint);
    resize(560, 420);

    connect(m_edit, &QLineEdit::textChanged, this, &SearchDialog::search);
    connect(m_results, &QListWidget::itemActivated, this, &SearchDialog::openCurrent);
}

void SearchDialog::start()
{
    m_edit->clear();
    search({});
    m_openWhenShown = false;
    show();
    raise();
    activateWindow();
    m_edit->setFocus();
}

bool SearchDialog::eventFilter(QObject *watched, QEvent *event)
{
    // Up/Down move through the results while typing; Enter opens the highlighted one.
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const int rows = m_results->count();
        if ((key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) && rows > 0) {
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            m_results->setCurrentRow(std::clamp(m_results->currentRow() + step, 0, rows - 1));
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            // The results of what is typed, not those of a few letters less: when they are still on their
            // way, the first of them opens as they come.
            if (m_search->isBusy())
                m_openWhenShown = true;
            else
                openCurrent();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void SearchDialog::search(const QString &text)
{
    const QString query = text.trimmed();
    if (query.isEmpty()) {
        m_search->cancel();
        m_openWhenShown = false;
        m_results->clear();
        m_hint->setText(tr("Type to find a customer. ↑↓ choose, Enter opens, Esc closes."));
        Q_EMIT resultsShown(query);
        return;
    }
    // The results shown stay until those of the new text come (no flicker while typing).
    m_search->start({query, kMaxResults, {}, false});
}

void SearchDialog::showResults(const QString &query, const Result<QList<ContactSearchHit>> &found)
{
    m_results->clear();
    if (!found) {
        m_openWhenShown = false;
        m_hint->setText(tr("Search failed: %1").arg(found.error().toString()));
        Q_EMIT resultsShown(query);
        return;
    }
    // What matched in each customer (the phone however typed, or the address that matched) and what tells
    // two customers of the same name apart.
    for (const ContactSearchHit &hit : *found) {
        auto *item = new QListWidgetItem(ContactResultsModel::describe(hit), m_results);
        item->setData(Qt::UserRole, hit.contact.id);
        item->setIcon(m_resultIcon);
    }
    if (m_results->count() > 0)
        m_results->setCurrentRow(0);
    m_hint->setText(m_results->count() == 0 ? tr("No customer matches “%1”.").arg(query)
                    : m_results->count() == 1
                        ? tr("1 customer. Enter opens it.")
                        : tr("%1 customers. Enter opens the highlighted one.").arg(m_results->count()));
    Q_EMIT resultsShown(query);
    if (std::exchange(m_openWhenShown, false))
        openCurrent();
}

void SearchDialog::openCurrent()
{
    const QListWidgetItem *item = m_results->currentItem();
    if (!item)
        return;
    const QUuid id = item->data(Qt::UserRole).toUuid();
    hide();
    Q_EMIT m_context.openContactRequested(id);
}

} // namespace fb::ui
