#pragma once

#include "util/result.h"

#include <QCoreApplication>
#include <QString>

namespace fb::ui {

struct InvoiceDocument;

/// Lays an invoice out as a PDF with QPdfWriter: the business, the customer's name and address, the number
/// and date, the line items (quantity, unit price, total) and the total, money in the locale's currency
/// format. A4, or US Letter where the locale measures in inches.
class InvoicePdf final
{
    Q_DECLARE_TR_FUNCTIONS(InvoicePdf)

public:
    /// Writes `document` to `path` (replacing it) through a QSaveFile: a failed write leaves no half-written
    /// file, and an older PDF of the invoice stays as it was.
    static Status write(const InvoiceDocument &document, const QString &path);
};

} // namespace fb::ui
