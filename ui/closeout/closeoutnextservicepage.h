#pragma once

#include "models/enums.h"

#include <QDateTime>
#include <QWizardPage>

class QCheckBox;
class QDateTimeEdit;
class QLabel;
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

    bool validatePage() override;

private:
    void updateEnabled();

    QRadioButton *m_scheduleNow;
    QDateTimeEdit *m_nextVisit;
    QRadioButton *m_reachOut;
    QSpinBox *m_months;
    QRadioButton *m_noFollowUp;
    QCheckBox *m_invoice;
    QLabel *m_invoiceNote;
};

} // namespace fb::ui
