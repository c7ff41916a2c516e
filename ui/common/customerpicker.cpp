#include "customerpicker.h"

#include "common/contactresultsmodel.h"
#include "common/contactsearch.h"
#include "common/feedback.h"
#include "common/uicontext.h"
#include "core.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace fb::ui {

namespace {

/// Enough matches to find anyone by a few letters; more would only scroll.
constexpr int kSearchLimit = 50;
constexpr int kRowsShown = 5;

} // namespace

CustomerPicker::CustomerPicker(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context),
      m_finder(new ContactSearch(
          context,
          [this](const ContactSearch::Answer &answer) {
              if (!answer.hits) {
                  showError(this, tr("Could not search the customers"), answer.hits.error());
                  return;
              }
              showHits(*answer.hits);
          },
          this)),
      m_results(new ContactResultsModel(this)), m_search(new QLineEdit(this)),
      m_resultsView(new QListView(this)), m_searchRow(new QHBoxLayout)
{
    m_search->setPlaceholderText(tr("Search customers by name, phone, e-mail or address"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Type to search; Down moves to the results"));
    m_search->installEventFilter(this);

    m_resultsView->setModel(m_results);
    m_resultsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_resultsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_resultsView->setUniformItemSizes(true);
    m_resultsView->setFixedHeight(kRowsShown * (m_resultsView->fontMetrics().height() + kSpacing) +
                                  2 * m_resultsView->frameWidth());

    m_searchRow->setSpacing(kSpacing);
    m_searchRow->addWidget(m_search, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(kSpacing);
    layout->addLayout(m_searchRow);
    layout->addWidget(m_resultsView);
    setFocusProxy(m_search);
    setTabOrder(m_search, m_resultsView);

    connect(m_search, &QLineEdit::textChanged, this, &CustomerPicker::search);
    connect(m_resultsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CustomerPicker::onCurrentChanged);
    search({});
}

void CustomerPicker::addBesideSearch(QWidget *widget)
{
    m_searchRow->addWidget(widget);
}

QString CustomerPicker::contactName() const
{
    const Contact *contact = m_results->contactAt(m_results->rowOf(m_contactId));
    return contact ? contact->name : QString();
}

void CustomerPicker::search(const QString &text)
{
    const QString query = text.trimmed();
    if (!query.isEmpty()) {
        // What is typed: the FTS index answers on the read thread (its cost grows with the address book).
        m_finder->start({query, kSearchLimit, {}, false});
        return;
    }
    // The newest customers: kSearchLimit rows by an index, whatever the size of the file; read at once.
    m_finder->cancel();
    auto found = m_context.core().contacts.searchHits(query, kSearchLimit);
    if (!found) {
        showError(this, tr("Could not search the customers"), found.error());
        return;
    }
    showHits(*found);
}

void CustomerPicker::showHits(const QList<ContactSearchHit> &hits)
{
    QList<ContactSearchHit> shown = hits;
    if (m_selected && m_search->text() == m_selected->name) {
        // select()'s customer stays listed while their name is what the field holds.
        const bool listed = std::any_of(shown.cbegin(), shown.cend(), [this](const ContactSearchHit &hit) {
            return hit.contact.id == m_selected->id;
        });
        if (!listed)
            shown.prepend({*m_selected, SearchMatch::Other, std::nullopt});
    } else {
        m_selected.reset();
    }
    m_results->setHits(shown);
    if (const int row = m_results->rowOf(m_contactId); row >= 0) {
        m_resultsView->setCurrentIndex(m_results->index(row));
    } else if (!m_contactId.isNull()) {
        // The picked customer no longer matches what is typed: nothing stays picked without being seen.
        m_contactId = QUuid();
        Q_EMIT contactChanged(m_contactId);
    }
    if (std::exchange(m_focusWhenShown, false) && m_results->rowCount() > 0) {
        m_resultsView->setFocus();
        if (!m_resultsView->currentIndex().isValid())
            m_resultsView->setCurrentIndex(m_results->index(0));
    }
}

void CustomerPicker::onCurrentChanged()
{
    const Contact *contact = m_results->contactAt(m_resultsView->currentIndex().row());
    const QUuid id = contact ? contact->id : QUuid();
    if (id == m_contactId)
        return;
    m_contactId = id;
    Q_EMIT contactChanged(m_contactId);
}

void CustomerPicker::select(const QUuid &contactId)
{
    auto contact = m_context.core().contacts.getById(contactId);
    if (!contact) {
        showError(this, tr("Could not read the customer"), contact.error());
        return;
    }
    // Picked and shown at once; the search of the name, when it answers, keeps them listed.
    m_selected = *contact;
    m_search->setText(contact->name);
    int row = m_results->rowOf(contactId);
    if (row < 0) {
        m_results->setContacts({*contact});
        row = 0;
    }
    m_resultsView->setCurrentIndex(m_results->index(row));
}

bool CustomerPicker::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_finder->isBusy()) {
        // Into the matches of what is typed, not those of a few letters less: as they come.
        m_focusWhenShown = true;
        return true;
    }
    if (watched == m_search && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_results->rowCount() > 0) {
        m_resultsView->setFocus();
        if (!m_resultsView->currentIndex().isValid())
            m_resultsView->setCurrentIndex(m_results->index(0));
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace fb::ui
