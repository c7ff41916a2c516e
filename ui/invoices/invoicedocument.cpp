#include "invoicedocument.h"

#include "core.h"
#include "invoicelistmodel.h"

#include <QRegularExpression>

namespace fb::ui {

namespace {

QStringList addressLines(const Address &address)
{
    QStringList lines;
    if (!address.street.isEmpty())
        lines << address.street;
    // "Springfield, IL 62704", leaving out what is empty.
    const QString region = QStringList{address.state, address.zip}.join(QLatin1Char(' ')).trimmed();
    const QString cityLine = QStringList{address.city, region}
                                 .filter(QRegularExpression(QStringLiteral("\\S")))
                                 .join(QStringLiteral(", "));
    if (!cityLine.isEmpty())
        lines << cityLine;
    return lines;
}

} // namespace

Result<InvoiceDocument> InvoiceDocument::load(Core &core, const QUuid &invoiceId, const QString &businessName)
{
    auto invoice = core.invoices.getById(invoiceId);
    if (!invoice)
        return invoice.error();
    InvoiceDocument doc;
    doc.businessName = businessName;
    doc.number = InvoiceListModel::invoiceNumber(*invoice);
    doc.date = invoice->createdAt.toLocalTime().date();
    doc.status = invoice->status;
    if (invoice->paidAt.isValid())
        doc.paidDate = invoice->paidAt.toLocalTime().date();
    // The invoice's own amount is what is owed: it was fixed when the invoice was made.
    doc.totalCents = invoice->totalAmount.cents();

    if (!invoice->ticketId.isNull()) {
        auto job = core.tickets.getWithDetails(invoice->ticketId);
        if (!job)
            return job.error();
        doc.customerName = job->contact.name;
        // The address the work was done at: on a job's invoice it tells the customer which job it is.
        doc.customerAddress = addressLines(job->address);
        for (const LineItem &item : std::as_const(job->lineItems)) {
            Line line;
            line.description = item.description.value_or(QString());
            if (line.description.isEmpty()) {
                auto service = core.catalog.getById(item.serviceId);
                line.description = service ? service->name : tr("Service");
            }
            line.quantity = item.quantity;
            if (item.unitPrice)
                line.unitCents = item.unitPrice->cents();
            line.totalCents = item.totalPrice.cents();
            doc.lines.append(line);
        }
        return doc;
    }

    auto customer = core.contacts.getWithAddresses(invoice->contactId);
    if (!customer)
        return customer.error();
    doc.customerName = customer->contact.name;
    if (!customer->addresses.isEmpty())
        doc.customerAddress = addressLines(customer->addresses.first());
    // A standalone invoice is an amount without line items: one line says what it is.
    doc.lines.append({tr("Services"), 1, doc.totalCents, doc.totalCents});
    return doc;
}

} // namespace fb::ui
