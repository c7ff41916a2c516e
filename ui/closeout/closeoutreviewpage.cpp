#include "closeoutreviewpage.h"

#include "attributereviewmodel.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "decisiondelegate.h"
#include "detailnames.h"
#include "extraction/llmclient.h"

#include <QCompleter>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStringListModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QWizard>

namespace fb::ui {

namespace {

/// A table that can commit the value being typed on demand: Next must not lose an edit whose editor has not
/// lost focus yet (QAbstractItemView::commitData is protected).
class ReviewTableView final : public QTableView
{
public:
    using QTableView::QTableView;

    void commitOpenEditor()
    {
        if (state() != EditingState)
            return;
        if (QWidget *editor = indexWidget(currentIndex())) {
            commitData(editor);
            closeEditor(editor, QAbstractItemDelegate::NoHint);
        }
    }
};

QPushButton *makeButton(const QString &text, const QString &tip, const QKeySequence &shortcut,
                        const QString &icon, const QString &name, QWidget *parent)
{
    auto *button = new QPushButton(themedIcon(icon), text, parent);
    button->setObjectName(name);
    button->setToolTip(withShortcut(tip, shortcut));
    return button;
}

} // namespace

CloseOutReviewPage::CloseOutReviewPage(QWidget *parent)
    : QWizardPage(parent), m_model(new AttributeReviewModel(this)), m_status(new QLabel(this)),
      m_busy(new QProgressBar(this)), m_table(new ReviewTableView(this)), m_newKey(new QLineEdit(this)),
      m_knownNames(new QStringListModel(this)), m_newValue(new QLineEdit(this)), m_addError(new QLabel(this))
{
    setObjectName(QStringLiteral("reviewPage"));
    setTitle(tr("Customer details"));
    setSubTitle(
        tr("What the notes say about the customer. Nothing is saved until you finish the close-out."));

    buildStatus();
    buildTable();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(kSpacing);
    layout->addWidget(m_status);
    layout->addWidget(m_busy);
    layout->addWidget(m_table, 1);
    layout->addLayout(buildDecisionButtons());
    layout->addLayout(buildAddRow());
    layout->addWidget(m_addError);
    updateButtons();
}

void CloseOutReviewPage::buildStatus()
{
    m_status->setObjectName(QStringLiteral("extractionStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_busy->setObjectName(QStringLiteral("extractionBusy"));
    m_busy->setRange(0, 0); // indeterminate: the model gives no progress
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(2 * kSpacing);
    m_busy->setAccessibleName(tr("Reading the notes"));
    m_busy->hide();
}

void CloseOutReviewPage::buildTable()
{
    m_table->setObjectName(QStringLiteral("reviewTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new DecisionDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::SelectedClicked);
    m_table->setTabKeyNavigation(false); // Tab leaves the table for the buttons
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(AttributeReviewModel::KeyColumn,
                                                      QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(AttributeReviewModel::CurrentColumn,
                                                      QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(AttributeReviewModel::NewColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(AttributeReviewModel::DecisionColumn,
                                                      QHeaderView::ResizeToContents);
    m_table->setAccessibleName(tr("Customer details to review"));
    // The Detail column is never cut off ("gat…"): sized to its names whenever they change.
    const auto fitNames = [this] { m_table->resizeColumnToContents(AttributeReviewModel::KeyColumn); };
    connect(m_model, &QAbstractItemModel::modelReset, m_table, fitNames);
    connect(m_model, &QAbstractItemModel::rowsInserted, m_table, fitNames);
    connect(m_model, &QAbstractItemModel::dataChanged, m_table, fitNames);
}

QHBoxLayout *CloseOutReviewPage::buildDecisionButtons()
{
    m_accept = makeButton(tr("&Accept"), tr("Save the selected details as suggested"),
                          QKeySequence(Qt::ALT | Qt::Key_A), QStringLiteral("dialog-ok"),
                          QStringLiteral("acceptButton"), this);
    m_edit = makeButton(tr("&Edit value"), tr("Type a different value for the selected detail (F2)"),
                        QKeySequence(Qt::ALT | Qt::Key_E), QStringLiteral("document-edit"),
                        QStringLiteral("editButton"), this);
    m_reject =
        makeButton(tr("&Reject"), tr("Do not save the selected details"), QKeySequence(Qt::ALT | Qt::Key_R),
                   QStringLiteral("process-stop"), QStringLiteral("rejectButton"), this);
    connect(m_accept, &QPushButton::clicked, this,
            [this] { decideSelected(int(AttributeReviewModel::Decision::Accept)); });
    connect(m_reject, &QPushButton::clicked, this,
            [this] { decideSelected(int(AttributeReviewModel::Decision::Reject)); });
    connect(m_edit, &QPushButton::clicked, this, &CloseOutReviewPage::editSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CloseOutReviewPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CloseOutReviewPage::updateButtons);

    auto *decisions = new QHBoxLayout;
    decisions->setSpacing(kSpacing);
    decisions->addWidget(m_accept);
    decisions->addWidget(m_edit);
    decisions->addWidget(m_reject);
    decisions->addStretch(1);
    return decisions;
}

QHBoxLayout *CloseOutReviewPage::buildAddRow()
{
    m_newKey->setObjectName(QStringLiteral("newAttributeKey"));
    m_newKey->setPlaceholderText(tr("detail, e.g. Gate code"));
    m_newKey->setAccessibleName(tr("New detail's name"));
    m_newKey->setToolTip(
        tr("The detail's name in words (Dog name, Gate code); a known one is filled in as you "
           "type. Enter with nothing typed goes on to the next step."));
    // Inline, not a popup: the known name is filled in while typing and Tab keeps it, with no list in the
    // way.
    auto *completer = new QCompleter(m_knownNames, m_newKey);
    completer->setCompletionMode(QCompleter::InlineCompletion);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setModelSorting(QCompleter::CaseInsensitivelySortedModel);
    m_newKey->setCompleter(completer);
    updateKnownNames();
    m_newValue->setObjectName(QStringLiteral("newAttributeValue"));
    m_newValue->setPlaceholderText(tr("value, e.g. 4821"));
    m_newValue->setAccessibleName(tr("New detail's value"));
    m_add = makeButton(tr("A&dd"), tr("Add this detail"), QKeySequence(Qt::ALT | Qt::Key_D),
                       QStringLiteral("list-add"), QStringLiteral("addAttributeButton"), this);
    connect(m_add, &QPushButton::clicked, this, &CloseOutReviewPage::addManual);
    // Enter in the add row adds the detail; it must not also reach the wizard's default button (Next).
    m_newKey->installEventFilter(this);
    m_newValue->installEventFilter(this);
    m_addError->setObjectName(QStringLiteral("addAttributeError"));
    m_addError->setWordWrap(true);
    QPalette errorPalette = m_addError->palette();
    errorPalette.setColor(QPalette::WindowText, reviewErrorColor());
    m_addError->setPalette(errorPalette);
    m_addError->hide();

    auto *addLabel = new QLabel(tr("Add a detail by &hand:"), this);
    addLabel->setBuddy(m_newKey);
    auto *add = new QHBoxLayout;
    add->setSpacing(kSpacing);
    add->addWidget(addLabel);
    add->addWidget(m_newKey, 1);
    add->addWidget(m_newValue, 2);
    add->addWidget(m_add);
    return add;
}

bool CloseOutReviewPage::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_newKey || watched == m_newValue) && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            const bool noName = m_newKey->text().trimmed().isEmpty();
            const bool noValue = m_newValue->text().trimmed().isEmpty();
            if (noName && noValue) {
                // Nothing (more) to add: on to the next step.
                if (wizard() && isComplete())
                    wizard()->next();
            } else if (watched == m_newKey && noValue) {
                m_newValue->setFocus(Qt::TabFocusReason); // the name typed, the value next
            } else {
                addManual();
            }
            return true;
        }
    }
    return QWizardPage::eventFilter(watched, event);
}

void CloseOutReviewPage::setExtraction(Extraction state, const QString &detail)
{
    m_extraction = state;
    m_detail = detail;
    QString text;
    switch (state) {
    case Extraction::NotStarted:
        break;
    case Extraction::Running:
        text = tr("Reading the notes for customer details\u2026");
        break;
    case Extraction::Done:
        text = m_model->rowCount() == 0
                   ? tr("No customer details found in the notes. Add any by hand below.")
                   : tr("Found in the notes: accept, edit or reject each detail, and add anything that was "
                        "missed below.");
        break;
    case Extraction::Queued:
        // The model not set up is said as that (issue 15), not as a missing connection.
        if (detail == llmwords::notSetUp()) {
            text = tr("%1. The notes are queued: what the model finds in them will wait for you on the "
                      "customer's page.")
                       .arg(detail);
            break;
        }
        text = tr("No connection: the notes are queued and their suggestions will wait for you on the "
                  "customer's page. Add anything important by hand now.");
        if (!detail.isEmpty() && detail != llmwords::unreachable())
            text += QLatin1Char(' ') + tr("(%1)").arg(detail);
        break;
    case Extraction::Failed:
        text = tr("The notes could not be read for details: %1. Add anything important by hand.").arg(detail);
        break;
    case Extraction::NotRequested:
        text = tr("No notes to read. Add customer details by hand if you like.");
        break;
    }
    m_status->setText(text);
    m_busy->setVisible(state == Extraction::Running);
    // The model answered while the page waited with nothing typed: start at its first detail.
    if (state == Extraction::Done && m_model->rowCount() > 0 && m_newKey->hasFocus() &&
        m_newKey->text().isEmpty())
        focusStart();
    Q_EMIT completeChanged();
}

void CloseOutReviewPage::commitEdits()
{
    static_cast<ReviewTableView *>(m_table)->commitOpenEditor();
}

bool CloseOutReviewPage::isComplete() const
{
    // Waiting for the model: going on now would drop its answer (the request is recorded as done without
    // suggestions). The client's own timeout turns a hung request into Queued.
    return m_extraction != Extraction::Running && m_extraction != Extraction::NotStarted;
}

bool CloseOutReviewPage::validatePage()
{
    commitEdits();
    if (auto confirmed = m_model->confirmedAttributes(); !confirmed) {
        showError(this, tr("A detail cannot be saved"), confirmed.error());
        return false;
    }
    return true;
}

QList<int> CloseOutReviewPage::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && m_table->currentIndex().isValid())
        rows.append(m_table->currentIndex().row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void CloseOutReviewPage::decideSelected(int decision)
{
    commitEdits();
    for (int row : selectedRows())
        m_model->setDecision(row, AttributeReviewModel::Decision(decision));
    m_table->setFocus();
}

void CloseOutReviewPage::editSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    const QModelIndex index = m_model->index(rows.first(), AttributeReviewModel::NewColumn);
    m_table->setCurrentIndex(index);
    m_table->setFocus();
    m_table->edit(index);
}

void CloseOutReviewPage::addManual()
{
    commitEdits();
    // Named in words ("Gate code"), stored under the extraction's key (gate_code).
    const QString key = detailKeyFromWords(m_newKey->text());
    if (auto added = m_model->addManual(key, m_newValue->text()); !added) {
        QString message = added.error().toString();
        if (added.error().field == QStringLiteral("key"))
            message = tr("\u201c%1\u201d cannot name a detail: start it with a letter, e.g. Gate code.")
                          .arg(m_newKey->text().trimmed());
        m_addError->setText(message);
        m_addError->show();
        (added.error().field == QStringLiteral("key") ? m_newKey : m_newValue)->setFocus();
        return;
    }
    m_addError->hide();
    m_newKey->clear();
    m_newValue->clear();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->rows().at(row).key == key) {
            m_table->selectRow(row);
            break;
        }
    }
    updateKnownNames();
    m_newKey->setFocus();
}

void CloseOutReviewPage::focusStart()
{
    updateKnownNames();
    if (m_extraction == Extraction::Done && m_model->rowCount() > 0) {
        m_table->setFocus(Qt::OtherFocusReason);
        if (!m_table->currentIndex().isValid())
            m_table->selectRow(0);
        return;
    }
    m_newKey->setFocus(Qt::OtherFocusReason);
}

void CloseOutReviewPage::updateKnownNames()
{
    QStringList keys = m_model->currentValues().keys();
    for (int row = 0; row < m_model->rowCount(); ++row)
        keys.append(m_model->rows().at(row).key);
    m_knownNames->setStringList(knownDetailNames(keys));
}

void CloseOutReviewPage::updateButtons()
{
    const bool any = !selectedRows().isEmpty();
    m_accept->setEnabled(any);
    m_edit->setEnabled(any);
    m_reject->setEnabled(any);
}

} // namespace fb::ui
