#include "invoicepdf.h"

#include "common/feedback.h"
#include "invoicedocument.h"

#include <QFontMetrics>
#include <QGuiApplication>
#include <QLocale>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

namespace fb::ui {

namespace {

/// Dots per inch of the page's coordinates: fine enough for rules and text placement, and point sizes
/// convert through it exactly.
constexpr int kResolution = 300;

Error fileError(const QString &path, const QString &why)
{
    return {ErrorCode::Unavailable, {}, InvoicePdf::tr("cannot write %1: %2").arg(path, why)};
}

/// Draws the invoice page by page, from the top down; `y` is where the next block starts.
class Layout
{
public:
    Layout(QPdfWriter &writer, QPainter &painter)
        : m_writer(writer), m_painter(painter),
          m_area(writer.pageLayout().paintRectPixels(writer.resolution()).size())
    {
        m_body = QGuiApplication::font();
        m_body.setPointSizeF(10);
        // No ligatures: "fi" stays two letters, so text copied or searched in the PDF is what was typed.
        m_body.setStyleStrategy(QFont::PreferNoShaping);
        m_bold = m_body;
        m_bold.setBold(true);
        m_title = m_bold;
        m_title.setPointSizeF(18);
        m_small = m_body;
        m_small.setPointSizeF(8);
    }

    int width() const { return m_area.width(); }
    int gap() const { return lineHeight(m_body) / 2; }
    int lineHeight(const QFont &font) const { return QFontMetrics(font, &m_writer).height(); }

    /// One line of `text` in [left, right), aligned; returns its height.
    int text(const QString &text, const QFont &font, int left, int right, Qt::Alignment align, int y)
    {
        m_painter.setFont(font);
        const QRect box(left, y, right - left, lineHeight(font));
        m_painter.drawText(box, int(align | Qt::AlignVCenter), text);
        return box.height();
    }

    /// Wrapped text in [left, right); returns its height.
    int wrapped(const QString &text, const QFont &font, int left, int right, int y)
    {
        m_painter.setFont(font);
        const QRect bound = m_painter.boundingRect(QRect(left, y, right - left, m_area.height()),
                                                   int(Qt::AlignLeft | Qt::TextWordWrap), text);
        m_painter.drawText(QRect(left, y, right - left, bound.height()),
                           int(Qt::AlignLeft | Qt::TextWordWrap), text);
        return bound.height();
    }

    void rule(int y, int left, int right)
    {
        m_painter.save();
        m_painter.setPen(QPen(Qt::black, kResolution / 150.0));
        m_painter.drawLine(left, y, right, y);
        m_painter.restore();
    }

    /// Starts a new page when `height` more does not fit; true when it did.
    bool ensureRoom(int &y, int height)
    {
        if (y + height <= m_area.height())
            return false;
        m_writer.newPage();
        y = 0;
        return true;
    }

    QFont m_body, m_bold, m_title, m_small;

private:
    QPdfWriter &m_writer;
    QPainter &m_painter;
    QSize m_area;
};

QString statusLine(const InvoiceDocument &doc)
{
    switch (doc.status) {
    case InvoiceStatus::Paid:
        return doc.paidDate.isValid()
                   ? InvoicePdf::tr("Paid on %1").arg(QLocale().toString(doc.paidDate, QLocale::ShortFormat))
                   : InvoicePdf::tr("Paid");
    case InvoiceStatus::Void:
        return InvoicePdf::tr("VOID: this invoice is cancelled and is not to be paid");
    case InvoiceStatus::Draft:
        return InvoicePdf::tr("Draft");
    case InvoiceStatus::Sent:
        return {};
    }
    return {};
}

/// Where the line items' columns start: description | quantity | unit price | total.
struct Columns
{
    explicit Columns(const Layout &page)
        : right(page.width()), qtyLeft(page.width() * 55 / 100), unitLeft(page.width() * 66 / 100),
          totalLeft(page.width() * 83 / 100), pad(page.gap())
    {
    }

    int right;
    int qtyLeft;
    int unitLeft;
    int totalLeft;
    int pad; ///< between columns, and half of it between lines
};

void setUpWriter(QPdfWriter &writer, const InvoiceDocument &doc)
{
    writer.setResolution(kResolution);
    writer.setTitle(InvoicePdf::tr("Invoice %1").arg(doc.number));
    writer.setCreator(QStringLiteral("Fieldbook"));
    const bool inches = QLocale().measurementSystem() == QLocale::ImperialUSSystem;
    writer.setPageLayout(QPageLayout(QPageSize(inches ? QPageSize::Letter : QPageSize::A4),
                                     QPageLayout::Portrait, QMarginsF(20, 20, 20, 20),
                                     QPageLayout::Millimeter));
}

/// Who bills (left), what this is (right), and who is billed; returns where the line items start.
int drawHeader(Layout &page, const InvoiceDocument &doc)
{
    const int right = page.width();
    const int half = page.width() / 2;
    int y = 0;
    const int titleHeight = page.text(doc.businessName, page.m_title, 0, half, Qt::AlignLeft, y);
    page.text(InvoicePdf::tr("INVOICE"), page.m_title, half, right, Qt::AlignRight, y);
    y += titleHeight + page.gap();
    int rightY = y;
    rightY += page.text(InvoicePdf::tr("Invoice number: %1").arg(doc.number), page.m_body, half, right,
                        Qt::AlignRight, rightY);
    rightY += page.text(InvoicePdf::tr("Date: %1").arg(QLocale().toString(doc.date, QLocale::ShortFormat)),
                        page.m_body, half, right, Qt::AlignRight, rightY);
    if (const QString status = statusLine(doc); !status.isEmpty())
        rightY += page.text(status, page.m_bold, half, right, Qt::AlignRight, rightY);

    // Bill to.
    y += page.text(InvoicePdf::tr("Bill to"), page.m_small, 0, half, Qt::AlignLeft, y);
    y += page.text(doc.customerName, page.m_bold, 0, half, Qt::AlignLeft, y);
    for (const QString &line : doc.customerAddress)
        y += page.text(line, page.m_body, 0, half, Qt::AlignLeft, y);
    return std::max(y, rightY) + 3 * page.gap();
}

/// The line items' column titles and the rule under them, on the first page and on each page after it.
void drawLinesHeader(Layout &page, const Columns &c, int &y)
{
    const int h =
        page.text(InvoicePdf::tr("Description"), page.m_bold, 0, c.qtyLeft - c.pad, Qt::AlignLeft, y);
    page.text(InvoicePdf::tr("Qty"), page.m_bold, c.qtyLeft, c.unitLeft - c.pad, Qt::AlignRight, y);
    page.text(InvoicePdf::tr("Unit price"), page.m_bold, c.unitLeft, c.totalLeft - c.pad, Qt::AlignRight, y);
    page.text(InvoicePdf::tr("Total"), page.m_bold, c.totalLeft, c.right, Qt::AlignRight, y);
    y += h + c.pad / 2;
    page.rule(y, 0, c.right);
    y += c.pad;
}

/// The line items from `y`, page by page; returns where the totals start.
int drawLines(Layout &page, const InvoiceDocument &doc, const Columns &c, int y)
{
    drawLinesHeader(page, c, y);
    const int lineHeight = page.lineHeight(page.m_body);
    for (const InvoiceDocument::Line &line : doc.lines) {
        if (page.ensureRoom(y, 2 * lineHeight))
            drawLinesHeader(page, c, y);
        page.text(QLocale().toString(line.quantity), page.m_body, c.qtyLeft, c.unitLeft - c.pad,
                  Qt::AlignRight, y);
        page.text(line.unitCents ? formatMoney(*line.unitCents) : QString(), page.m_body, c.unitLeft,
                  c.totalLeft - c.pad, Qt::AlignRight, y);
        page.text(formatMoney(line.totalCents), page.m_body, c.totalLeft, c.right, Qt::AlignRight, y);
        y += std::max(lineHeight, page.wrapped(line.description, page.m_body, 0, c.qtyLeft - c.pad, y)) +
             c.pad / 2;
    }
    if (doc.lines.isEmpty())
        y += page.text(InvoicePdf::tr("No line items"), page.m_body, 0, c.qtyLeft - c.pad, Qt::AlignLeft, y) +
             c.pad / 2;
    return y;
}

/// The total under the line items, and the thanks of the business.
void drawTotals(Layout &page, const InvoiceDocument &doc, const Columns &c, int y)
{
    const int lineHeight = page.lineHeight(page.m_body);
    page.ensureRoom(y, 3 * lineHeight);
    page.rule(y, c.unitLeft, c.right);
    y += c.pad;
    QFont total = page.m_bold;
    total.setPointSizeF(12);
    page.text(InvoicePdf::tr("Total"), total, c.unitLeft, c.totalLeft - c.pad, Qt::AlignRight, y);
    y += page.text(formatMoney(doc.totalCents), total, c.totalLeft, c.right, Qt::AlignRight, y) + 3 * c.pad;

    if (!doc.businessName.isEmpty()) {
        page.ensureRoom(y, lineHeight);
        page.text(InvoicePdf::tr("Thank you for your business. %1").arg(doc.businessName), page.m_small, 0,
                  c.right, Qt::AlignLeft, y);
    }
}

} // namespace

Status InvoicePdf::write(const InvoiceDocument &doc, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(path, file.errorString());
    {
        QPdfWriter writer(&file);
        setUpWriter(writer, doc);
        QPainter painter;
        if (!painter.begin(&writer))
            return fileError(path, tr("the PDF writer could not start"));
        Layout page(writer, painter);
        const Columns columns(page);
        int y = drawHeader(page, doc);
        y = drawLines(page, doc, columns, y);
        drawTotals(page, doc, columns, y);
        if (!painter.end())
            return fileError(path, tr("the PDF could not be finished"));
    }
    if (!file.commit())
        return fileError(path, file.errorString());
    return {};
}

} // namespace fb::ui
