#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace fb::ui {

class InvoiceListModel;
class UiContext;

/// Invoices with their status and totals, newest first, optionally of one status. Enter or a double-click
/// opens the invoice's ticket (or its customer, for a standalone invoice).
class InvoicesPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InvoicesPage)

public:
    explicit InvoicesPage(UiContext &context, QWidget *parent = nullptr);

public Q_SLOTS:
    void reload();

private:
    void openCurrent();

    UiContext &m_context;
    InvoiceListModel *m_model;
    QComboBox *m_filter;
    QTableView *m_view;
    QLabel *m_summary;
};

} // namespace fb::ui
