#include "voidinvoicedialog.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace fb::ui {

VoidInvoiceDialog::VoidInvoiceDialog(UiContext &context, const QUuid &invoiceId, const QString &description,
                                     QWidget *parent)
    : EditDialog(parent), m_context(context), m_invoiceId(invoiceId), m_reason(new QLineEdit(this))
{
    setObjectName(QStringLiteral("voidInvoiceDialog"));
    setWindowTitle(tr("Void invoice"));
    setMinimumWidth(60 * kSpacing);

    auto *what = new QLabel(tr("Void %1? A void invoice is not to be paid and cannot be sent again; the job "
                               "can be invoiced anew.")
                                .arg(description),
                            this);
    what->setWordWrap(true);

    m_reason->setObjectName(QStringLiteral("voidReasonEdit"));
    m_reason->setPlaceholderText(tr("e.g. Wrong amount, re-issued"));
    m_reason->setMaxLength(InvoiceService::kMaxVoidReasonLength);
    m_reason->setToolTip(tr("Required. Kept in the invoice's history."));

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *confirm = buttons->addButton(tr("Void invoice"), QDialogButtonBox::AcceptRole);
    confirm->setObjectName(QStringLiteral("confirmVoidButton"));
    confirm->setIcon(themedIcon(QStringLiteral("process-stop")));
    confirm->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &VoidInvoiceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &VoidInvoiceDialog::reject);

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    form->addRow(tr("&Reason:"), m_fieldErrors.add(QStringLiteral("reason"), tr("Reason"), m_reason));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addWidget(what);
    layout->addLayout(form);
    layout->addWidget(buttons);
    markUnchanged();
    m_reason->setFocus();
}

void VoidInvoiceDialog::accept()
{
    // The core checks the reason: one rule, one message, whoever voids.
    auto voided = m_context.core().invoices.voidInvoice(m_invoiceId, m_reason->text());
    m_fieldErrors.clear();
    if (!voided) {
        if (!m_fieldErrors.show(voided.error())) {
            showError(this, tr("Could not void the invoice"), voided.error());
            m_reason->setFocus();
        }
        return;
    }
    QDialog::accept();
    Q_EMIT invoiceVoided(m_invoiceId);
}

} // namespace fb::ui
