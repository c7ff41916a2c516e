#pragma once

#include "models/enums.h"
#include "util/result.h"

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace fb {
class Core;
}

namespace fb::ui {

/// Everything a printed invoice shows, read from the core in one go, so the PDF writer only lays it out.
struct InvoiceDocument
{
    Q_DECLARE_TR_FUNCTIONS(InvoiceDocument)

public:
    struct Line
    {
        QString description;
        int quantity = 1;
        std::optional<qint64> unitCents; ///< a line item without a unit price shows only its total
        qint64 totalCents = 0;
    };

    QString businessName;
    QString number; ///< "INV-3F2A9C1B" (InvoiceListModel::invoiceNumber)
    QDate date;     ///< the invoice's creation, local
    InvoiceStatus status = InvoiceStatus::Draft;
    QDate paidDate; ///< when status is Paid
    QString customerName;
    QStringList customerAddress; ///< lines; empty when the customer has no address
    QList<Line> lines;
    qint64 totalCents = 0;

    /// Reads invoice `invoiceId`: for an invoice of a job, the job's line items and address; for a standalone
    /// one, a single line with its amount and the customer's first address.
    static Result<InvoiceDocument> load(Core &core, const QUuid &invoiceId, const QString &businessName);
};

} // namespace fb::ui
