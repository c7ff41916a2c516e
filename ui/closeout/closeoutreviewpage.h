#pragma once

#include <QWizardPage>

class QHBoxLayout;
class QLabel;
class QLineEdit;
class QStringListModel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace fb::ui {

class AttributeReviewModel;

/// Step 2 of the close-out: the customer details read from the notes, each accepted, edited or rejected, and
/// details added by hand. While the model reads the notes the page shows a busy bar and cannot go on; offline
/// or failed, it says so and the details can still be typed by hand.
class CloseOutReviewPage final : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloseOutReviewPage)

public:
    /// Where the extraction of the notes stands, as the page tells it.
    enum class Extraction
    {
        NotStarted,
        Running,
        Done,
        Queued,       ///< offline (or no model configured): the request waits in the queue
        Failed,       ///< the model's answer could not be used
        NotRequested, ///< no notes
    };

    explicit CloseOutReviewPage(QWidget *parent = nullptr);

    AttributeReviewModel *model() const { return m_model; }
    Extraction extraction() const { return m_extraction; }
    /// Shows the state; `detail` is the reason for Queued and Failed.
    void setExtraction(Extraction state, const QString &detail = {});
    QString extractionDetail() const { return m_detail; }

    /// Commits a value still being typed in the table.
    void commitEdits();

    bool isComplete() const override;
    bool validatePage() override;
    /// Where the page starts: the model's first detail when it found some, else the field to add one.
    void focusStart();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildStatus();
    void buildTable();
    QHBoxLayout *buildDecisionButtons();
    QHBoxLayout *buildAddRow();
    QList<int> selectedRows() const;
    void decideSelected(int decision);
    void editSelected();
    void addManual();
    void updateButtons();
    /// The names the add field offers: the common ones, the customer's and the page's.
    void updateKnownNames();

    AttributeReviewModel *m_model;
    QLabel *m_status;
    QProgressBar *m_busy;
    QTableView *m_table;
    QPushButton *m_accept = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_reject = nullptr;
    QLineEdit *m_newKey;
    QStringListModel *m_knownNames;
    QLineEdit *m_newValue;
    QPushButton *m_add = nullptr;
    QLabel *m_addError;
    Extraction m_extraction = Extraction::NotStarted;
    QString m_detail;
};

} // namespace fb::ui
