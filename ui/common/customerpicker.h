#pragma once

#include "services/contactservice.h"

#include <QList>
#include <QUuid>
#include <QWidget>

#include <optional>

class QHBoxLayout;
class QLineEdit;
class QListView;

namespace fb::ui {

class ContactResultsModel;
class ContactSearch;
class UiContext;

/// Picks a customer: a search field with the matches listed under it as the user types (the core's search, on
/// the window's read thread: ContactSearch, the latest keystroke wins), Down in the field moves to the
/// matches, and the current match is the picked customer. When what is typed
/// no longer matches the picked customer, nothing stays picked unseen. The new-ticket and the standalone
/// invoice dialogs use it; the owner names the field and the list (objectName) and lays out the rest.
class CustomerPicker final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CustomerPicker)

public:
    explicit CustomerPicker(UiContext &context, QWidget *parent = nullptr);

    QLineEdit *searchEdit() const { return m_search; }
    QListView *resultsView() const { return m_resultsView; }
    /// Puts `widget` to the right of the search field (the new-ticket dialog's "New customer…").
    void addBesideSearch(QWidget *widget);

    /// The picked customer, or a null id.
    QUuid contactId() const { return m_contactId; }
    /// The picked customer's name, empty when none is picked.
    QString contactName() const;
    /// Picks `contactId` (e.g. the customer a new-customer dialog just saved): its name in the search field,
    /// the customer current in the list.
    void select(const QUuid &contactId);

Q_SIGNALS:
    /// The picked customer changed; a null id when none is picked any more.
    void contactChanged(const QUuid &contactId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void search(const QString &text);
    void showHits(const QList<ContactSearchHit> &hits);
    void onCurrentChanged();

    UiContext &m_context;
    ContactSearch *m_finder;
    QUuid m_contactId;
    /// select()'s customer: kept in the list when the search of their name finds too many namesakes.
    std::optional<Contact> m_selected;
    /// Down came while the matches of what is typed were on their way: into them as they come.
    bool m_focusWhenShown = false;
    ContactResultsModel *m_results;
    QLineEdit *m_search;
    QListView *m_resultsView;
    QHBoxLayout *m_searchRow;
};

} // namespace fb::ui
