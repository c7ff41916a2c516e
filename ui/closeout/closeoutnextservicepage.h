#pragma once

#include "models/enums.h"

#include <QDateTime>
#include <QWizardPage>

class QCheckBox;
class QDateTimeEdit;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace fb::ui {

/// Step 3 of the close-out: what happens next (book the next visit now, reach out in N months, or nothing)
/// and whether to draft the invoice.
class CloseOutNextServicePage final : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloseOutNextServicePage)

public:
    explicit CloseOutNextServicePage(QWidget *parent = nullptr);

    NextServiceAction action() const;
    void setAction(NextServiceAction action);
    /// The next visit's start (UTC), for ScheduleNow.
    QDateTime nextVisit() const;
    void setNextVisit(const QDateTime &utc);
    int reachOutMonths() const;
    void setReachOutMonths(int months);
    bool createInvoice() const;
    void setCreateInvoice(bool create);
    /// An invoice cannot be drafted (the ticket has one already): the box is off and says why.
    void setInvoiceUnavailable(const QString &reason);

    /// The job's start (UTC): the presets book the same weekday and time 1, 2 or 4 weeks on.
    void setPresetBase(const QDateTime &utc);
    /// Where the page starts: the field for the day and time ("tue 9").
    void focusStart();

    bool validatePage() override;

private:
    /// The typed day and time with what it reads as; the presets (the job's day and time 1, 2, 4 weeks on).
    QHBoxLayout *buildTypedRow();
    QHBoxLayout *buildPresetsRow();
    void updateEnabled();
    /// Reads the typed day and time (parseVisitText): sets the next visit and books it, or, when `complain`,
    /// says what to type.
    void readVisitText(bool complain);
    void applyPreset(int weeks);

    QRadioButton *m_scheduleNow;
    QDateTimeEdit *m_nextVisit;
    QLineEdit *m_visitText;
    QLabel *m_visitResolved;
    QDateTime m_presetBase; ///< UTC
    QRadioButton *m_reachOut;
    QSpinBox *m_months;
    QRadioButton *m_noFollowUp;
    QCheckBox *m_invoice;
    QLabel *m_invoiceNote;
};

} // namespace fb::ui
